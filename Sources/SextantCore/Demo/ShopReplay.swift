/// Sextant's own rrweb recording of a small shop page, for demo sessions: a full snapshot, then
/// mouse moves, clicks that change the cart (mutations), typing (masked), and a burst of
/// clicks on a coupon button that does nothing (a rage click and a dead click for the analyzers).
public enum ShopReplay {
    /// Node ids of the snapshot, named for the events that refer to them.
    enum Node {
        static let document = 1, html = 2, head = 3, body = 5, cartCount = 9, cartCountText = 10, products = 12
        static func addButton(_ index: Int) -> Int { 20 + index * 10 + 5 }
        static let cartList = 60, email = 64, coupon = 66, apply = 67, applyText = 68, pay = 69, payText = 70
        static let firstAdded = 100
    }

    public static let products = [("Trail backpack", "89.00"), ("Water bottle", "19.00"), ("Rain jacket", "129.00")]

    /// When, in ms after the start, the visitor reaches each step; a step left out did not happen.
    /// A demo session passes its own events' times, so the replay shows what its timeline lists.
    public struct Moments: Sendable {
        public var product: Int64 = 600
        public var addToCart: Int64? = 1300
        public var cart: Int64? = 2600
        public var checkout: Int64? = 3400
        public var pay: Int64? = 9800
        public var end: Int64 = 13_000
        /// Which of `products` the visitor adds to the cart; nil picks one by the variant.
        public var chosenProduct: Int?

        public init() {}
    }

    /// The events of one visit starting at `start` (ms); `variant` picks the product and whether the coupon misbehaves.
    public static func events(start: Int64, variant: Int, moments: Moments = Moments(), url: String = "https://shop.example.com/") -> [JSONValue] {
        var events: [JSONValue] = []
        func add(_ offset: Int64, type: Int, _ data: [String: JSONValue]) {
            events.append(.object(["type": .number(Double(type)), "timestamp": .number(Double(start + offset)), "data": .object(data)]))
        }
        func incremental(_ offset: Int64, source: Int, _ data: [String: JSONValue]) {
            var payload = data
            payload["source"] = .number(Double(source))
            add(offset, type: 3, payload)
        }
        func move(_ offset: Int64, to point: (Double, Double), over node: Int) {
            incremental(offset, source: 1, ["positions": .array([.object([
                "x": .number(point.0), "y": .number(point.1), "id": .number(Double(node)), "timeOffset": .number(0),
            ])])])
        }
        func click(_ offset: Int64, _ node: Int, at point: (Double, Double)) {
            for (delta, type) in [(Int64(0), 1), (40, 0), (41, 2)] {
                incremental(offset + delta, source: 2, ["type": .number(Double(type)), "id": .number(Double(node)), "x": .number(point.0), "y": .number(point.1)])
            }
        }
        let product = moments.chosenProduct ?? variant % products.count
        add(0, type: 4, ["href": .string(url), "width": .number(1280), "height": .number(800)])
        add(1, type: 2, ["node": snapshot(), "initialOffset": .object(["top": .number(0), "left": .number(0)])])
        // Where the snapshot's elements are when Chromium lays it out at 1280×800 (measured), so the
        // cursor and its clicks land on the element they name.
        let button = ([151.0, 469, 797][product], 183.0)
        let emailField = (202.0, 333.0), applyButton = (80.0, 419.0), payButton = (172.0, 419.0)
        move(moments.product, to: (640, 150), over: Node.products)
        if let added = moments.addToCart {
            move(added - 200, to: button, over: Node.addButton(product))
            click(added, Node.addButton(product), at: button)
            // The cart reacts: its count changes and the product joins the list.
            incremental(added + 150, source: 0, [
                "texts": .array([.object(["id": .number(Double(Node.cartCountText)), "value": .string("Cart (1)")])]),
                "adds": .array([
                    .object(["parentId": .number(Double(Node.cartList)), "nextId": .null, "node": element(Node.firstAdded, "li", ["class": "line"])]),
                    .object(["parentId": .number(Double(Node.firstAdded)), "nextId": .null,
                             "node": text(Node.firstAdded + 1, "\(products[product].0) — $\(products[product].1)")]),
                ]),
                "removes": .array([]), "attributes": .array([]),
            ])
        }
        if let cart = moments.cart { move(cart, to: (360, 300), over: Node.cartList) }
        if let checkout = moments.checkout {
            move(checkout - 200, to: emailField, over: Node.email)
            click(checkout, Node.email, at: emailField)
            for (index, length) in [1, 2, 3, 4, 5, 6, 7, 8].enumerated() {
                incremental(checkout + 300 + Int64(index) * 180, source: 5, ["id": .number(Double(Node.email)), "text": .string(String(repeating: "*", count: length)), "isChecked": .bool(false)])
            }
            // Nothing happens on "Apply coupon": the visitor clicks again and again. It is a dead
            // click only when nothing else changes the page within 2.5 s, so it needs room before paying.
            let couponAt = checkout + 2000
            if variant % 3 == 0, (moments.pay ?? moments.end) - couponAt > 4000 {
                for attempt in 0..<4 { click(couponAt + Int64(attempt) * 260, Node.apply, at: (applyButton.0 + Double(attempt), applyButton.1)) }
            }
        }
        if let pay = moments.pay {
            move(pay - 300, to: payButton, over: Node.pay)
            click(pay, Node.pay, at: payButton)
            incremental(pay + 150, source: 0, [
                "texts": .array([.object(["id": .number(Double(Node.payText)), "value": .string("Processing…")])]),
                "attributes": .array([.object(["id": .number(Double(Node.pay)), "attributes": .object(["disabled": .string("")])])]),
                "adds": .array([]), "removes": .array([]),
            ])
        }
        move(moments.end, to: (payButton.0 + 40, payButton.1 + 30), over: Node.pay)
        // Steps close together can interleave: a recording is in time order.
        return events.enumerated().sorted { (timestamp($0.element), $0.offset) < (timestamp($1.element), $1.offset) }.map(\.element)
    }

    private static func timestamp(_ event: JSONValue) -> Double { event["timestamp"]?.numberValue ?? 0 }

    static func element(_ id: Int, _ tag: String, _ attributes: [String: String] = [:], _ children: [JSONValue] = []) -> JSONValue {
        .object([
            "type": .number(2), "id": .number(Double(id)), "tagName": .string(tag),
            "attributes": .object(attributes.mapValues(JSONValue.string)), "childNodes": .array(children),
        ])
    }

    static func text(_ id: Int, _ content: String) -> JSONValue {
        .object(["type": .number(3), "id": .number(Double(id)), "textContent": .string(content)])
    }

    static let css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330}header{display:flex;justify-content:space-between;padding:16px 32px;background:#1f3a5f;color:#fff}
        .products{display:flex;gap:24px;padding:32px;list-style:none;margin:0}.product{border:1px solid #dde;border-radius:8px;padding:16px;width:260px}
        .add{background:#2456d6;color:#fff;border:0;border-radius:6px;padding:8px 14px}form{padding:0 32px}input{display:block;margin:8px 0;padding:8px;width:320px}
        #pay{background:#2f855a;color:#fff;border:0;border-radius:6px;padding:10px 18px}
        """

    /// The shop page as rrweb serializes it (ids fixed so events can refer to them).
    static func snapshot() -> JSONValue {
        let productNodes = products.enumerated().map { index, product in
            let base = 20 + index * 10
            return element(base, "li", ["class": "product"], [
                element(base + 1, "h2", [:], [text(base + 2, product.0)]),
                element(base + 3, "span", ["class": "price"], [text(base + 4, "$\(product.1)")]),
                element(Node.addButton(index), "button", ["class": "add", "type": "button"], [text(base + 6, "Add to cart")]),
            ])
        }
        let head = element(Node.head, "head", [:], [
            element(4, "title", [:], [text(7, "Demo Shop")]),
            element(8, "style", ["_cssText": css]),
        ])
        let body = element(Node.body, "body", [:], [
            element(6, "header", [:], [
                element(11, "strong", [:], [text(13, "Demo Shop")]),
                element(Node.cartCount, "span", ["id": "cart-count"], [text(Node.cartCountText, "Cart (0)")]),
            ]),
            element(Node.products, "ul", ["class": "products"], productNodes),
            element(61, "form", ["id": "checkout"], [
                element(62, "h2", [:], [text(63, "Checkout")]),
                element(Node.cartList, "ul", ["id": "cart"]),
                element(Node.email, "input", ["id": "email", "type": "email", "placeholder": "you@example.com"]),
                element(Node.coupon, "input", ["id": "coupon", "placeholder": "Coupon code"]),
                element(Node.apply, "button", ["id": "apply", "type": "button"], [text(Node.applyText, "Apply coupon")]),
                element(Node.pay, "button", ["id": "pay", "type": "button"], [text(Node.payText, "Pay now")]),
            ]),
        ])
        return .object([
            "type": .number(0), "id": .number(Double(Node.document)),
            "childNodes": .array([
                .object(["type": .number(1), "id": .number(90), "name": .string("html"), "publicId": .string(""), "systemId": .string("")]),
                element(Node.html, "html", ["lang": "en"], [head, body]),
            ]),
        ])
    }
}
