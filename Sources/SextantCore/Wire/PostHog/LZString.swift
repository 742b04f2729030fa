/// lz-string's `decompressFromBase64` (pieroxy/lz-string 1.4), the `compression=lz64` bodies of
/// older posthog-js. The format works on UTF-16 code units: the dictionary starts with three
/// control codes (a literal 8-bit unit, a literal 16-bit unit, end of stream) and grows by one
/// entry per code, its code width growing with it.
public enum LZString {
    public enum DecompressionError: Error, Equatable {
        case invalid
        case tooLarge
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The decompressed text as UTF-8, refusing more than `limit` UTF-16 units of output.
    public static func decompressFromBase64(_ input: some Collection<UInt8>, limit: Int) throws(DecompressionError) -> [UInt8] {
        var codes: [Int] = []
        codes.reserveCapacity(input.count)
        for byte in input {
            let value = values[Int(byte)]
            guard value != 0xFF else { throw .invalid }
            codes.append(Int(value))
        }
        guard !codes.isEmpty else { throw .invalid }
        var reader = BitReader(codes: codes, resetValue: 32)
        var dictionary: [[UInt16]] = [[], [], []]
        var enlargeIn = 4
        var numberOfBits = 3
        var output: [UInt16] = []

        let first: [UInt16]
        switch try reader.read(bits: 2) {
        case 0: first = [UInt16(try reader.read(bits: 8))]
        case 1: first = [UInt16(try reader.read(bits: 16))]
        default: return []
        }
        dictionary.append(first)
        var previous = first
        output += first
        while true {
            var code = try reader.read(bits: numberOfBits)
            switch code {
            case 0, 1:
                dictionary.append([UInt16(try reader.read(bits: code == 0 ? 8 : 16))])
                code = dictionary.count - 1
                enlargeIn -= 1
            case 2:
                return Array(String(decoding: output, as: UTF16.self).utf8)
            default:
                break
            }
            if enlargeIn == 0 {
                enlargeIn = 1 << numberOfBits
                numberOfBits += 1
            }
            let entry: [UInt16]
            if code < dictionary.count {
                entry = dictionary[code]
            } else if code == dictionary.count, let head = previous.first {
                entry = previous + [head]
            } else {
                throw .invalid
            }
            guard output.count + entry.count <= limit else { throw .tooLarge }
            output += entry
            dictionary.append(previous + [entry[0]])
            enlargeIn -= 1
            previous = entry
            if enlargeIn == 0 {
                enlargeIn = 1 << numberOfBits
                numberOfBits += 1
            }
            // Code widths past 24 bits would need a dictionary larger than any limit allows.
            guard numberOfBits <= 24 else { throw .invalid }
        }
    }

    /// Bits from 6-bit base64 values, most significant first, assembled least significant first.
    private struct BitReader {
        let codes: [Int]
        let resetValue: Int
        var value: Int
        var position: Int
        var index = 1

        init(codes: [Int], resetValue: Int) {
            self.codes = codes
            self.resetValue = resetValue
            value = codes[0]
            position = resetValue
        }

        mutating func read(bits count: Int) throws(DecompressionError) -> Int {
            var bits = 0
            for power in 0..<count {
                let bit = value & position
                position >>= 1
                if position == 0 {
                    position = resetValue
                    // Past the end the stream has ended without its end code.
                    guard index <= codes.count else { throw .invalid }
                    value = index < codes.count ? codes[index] : 0
                    index += 1
                }
                if bit != 0 { bits |= 1 << power }
            }
            return bits
        }
    }
}
