import Testing
@testable import SextantCore

@Suite struct ErrorFingerprintTests {
    func fingerprint(_ type: String, _ message: String, _ stack: String, project: String = "p") -> String {
        ErrorFingerprint.compute(project: project, type: type, message: message, stack: ErrorFingerprint.lines(of: stack))
    }

    @Test func chromeStacksGroupAcrossDeploysAndLines() {
        let before = """
            TypeError: Cannot read properties of undefined (reading 'total')
                at computeTotal (https://shop.example.com/static/js/main.3f2a1b9c.js:2:14523)
                at Checkout.render (https://shop.example.com/static/js/main.3f2a1b9c.js:2:20001)
                at renderWithHooks (https://shop.example.com/static/js/node_modules/react-dom/cjs/react-dom.js:1:999)
            """
        let after = """
            TypeError: Cannot read properties of undefined (reading 'total')
                at computeTotal (https://cdn.example.net/static/js/main.77e0d4aa.js:2:15880?v=2)
                at Checkout.render (https://cdn.example.net/static/js/main.77e0d4aa.js:2:21100)
            """
        #expect(fingerprint("TypeError", "a", before) == fingerprint("TypeError", "b", after))
        #expect(ErrorFingerprint.inAppFrames(ErrorFingerprint.lines(of: before)) == [
            "computeTotal (/static/js/main.js)", "Checkout.render (/static/js/main.js)",
        ])
    }

    @Test func firefoxFramesNormalizeTheSameWay() {
        let frames = ErrorFingerprint.inAppFrames(["computeTotal@https://shop.example.com/static/js/main.3f2a1b9c.js:2:14523",
                                                   "@debugger eval code:1:1"])
        #expect(frames.first == "computeTotal@/static/js/main.js")
    }

    @Test func javaSkipsRuntimeFramesButNotClassesInJavaFiles() {
        let stack = ["at com.example.Checkout.pay(Checkout.java:42)", "at java.base/java.lang.Thread.run(Thread.java:833)",
                     "at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)"]
        #expect(ErrorFingerprint.inAppFrames(stack) == ["com.example.Checkout.pay(Checkout.java)"])
        let moved = ["at com.example.Checkout.pay(Checkout.java:57)", "at java.base/java.lang.Thread.run(Thread.java:840)"]
        #expect(ErrorFingerprint.compute(project: "p", type: "CheckoutException", message: "order 12345", stack: stack)
                == ErrorFingerprint.compute(project: "p", type: "CheckoutException", message: "order 67890", stack: moved))
    }

    @Test func pythonTracebacksKeepAppFramesOnly() {
        let stack = """
            Traceback (most recent call last):
              File "/app/shop/checkout.py", line 42, in pay
                charge(card)
              File "/usr/lib/python3.11/json/decoder.py", line 337, in decode
              File "/app/venv/lib/python3.11/site-packages/stripe/api.py", line 10, in charge
            """
        #expect(ErrorFingerprint.inAppFrames(ErrorFingerprint.lines(of: stack)) == [#"File "/app/shop/checkout.py" in pay"#])
    }

    @Test func swiftFramesDropAddressesAndOffsets() {
        let stack = ["0   libswiftCore.so    0x00007f1a2b3c4d5e swift_errorInMain + 12",
                     "1   ShopApp            0x000055d1c2b3a4f8 ShopApp.Checkout.pay(card: Card) throws -> () + 120",
                     "2   Foundation         0x00007f1a2b000000 NSRunLoop.run + 30"]
        #expect(ErrorFingerprint.inAppFrames(stack) == ["ShopApp ShopApp.Checkout.pay(card: Card) throws -> ()"])
    }

    @Test func withoutAStackTheMessageShapeGroups() {
        let one = fingerprint("PaymentError", #"charge ch_3f2a1b9c8d7e failed for "alice@example.com" after 3 tries, id 550e8400-e29b-41d4-a716-446655440000"#, "")
        let two = fingerprint("PaymentError", #"charge ch_9a8b7c6d5e4f failed for 'bob@example.com' after 12 tries, id 123e4567-e89b-12d3-a456-426614174000"#, "")
        #expect(one == two)
        #expect(one != fingerprint("PaymentError", "card expired", ""))
        #expect(one != fingerprint("PaymentError", #"charge ch_3f2a1b9c8d7e failed for "x" after 3 tries, id 550e8400-e29b-41d4-a716-446655440000"#, "", project: "q"))
    }

    @Test func aClientFingerprintWins() {
        let a = ErrorFingerprint.compute(project: "p", type: "A", message: "x", stack: ["at f (app.js:1:1)"], clientFingerprint: "checkout-timeouts")
        let b = ErrorFingerprint.compute(project: "p", type: "B", message: "y", stack: [], clientFingerprint: "checkout-timeouts")
        #expect(a == b)
    }
}
