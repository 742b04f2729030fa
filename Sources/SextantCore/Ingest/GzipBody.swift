import CompressNIO
import NIOCore

public enum GzipBodyError: Error, Equatable {
    case corrupt
    case tooLarge(limit: Int)
}

/// Inflating request bodies without trusting their size: output is bounded while it is produced.
public enum GzipBody {
    public static func isGzip(_ bytes: ByteBuffer) -> Bool {
        bytes.readableBytes >= 2 && bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) == 0x1F
            && bytes.getInteger(at: bytes.readerIndex + 1, as: UInt8.self) == 0x8B
    }

    /// Inflates a gzip stream, stopping with `.tooLarge` as soon as the output would pass `limit`.
    public static func inflate(_ compressed: ByteBuffer, limit: Int) throws -> ByteBuffer {
        var input = compressed
        do {
            // One byte of headroom tells "exactly the limit" from "over it".
            let output = try input.decompress(with: .gzip(), maxSize: limit + 1)
            guard output.readableBytes <= limit else { throw GzipBodyError.tooLarge(limit: limit) }
            guard isComplete(compressed, inflatedSize: output.readableBytes) else { throw GzipBodyError.corrupt }
            return output
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw GzipBodyError.tooLarge(limit: limit)
        } catch is CompressNIOError {
            throw GzipBodyError.corrupt
        }
    }

    /// Inflates a zlib stream (RFC 1950: HTTP's `deflate`, and Sentry's compressed replay
    /// segments), stopping with `.tooLarge` as soon as the output would pass `limit`.
    public static func inflateZlib(_ compressed: ByteBuffer, limit: Int) throws -> ByteBuffer {
        var input = compressed
        do {
            let output = try input.decompress(with: .zlib(), maxSize: limit + 1)
            guard output.readableBytes <= limit else { throw GzipBodyError.tooLarge(limit: limit) }
            return output
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw GzipBodyError.tooLarge(limit: limit)
        } catch is CompressNIOError {
            throw GzipBodyError.corrupt
        }
    }

    /// zlib stops quietly when the input ends mid-stream; a complete gzip member ends with the
    /// inflated size modulo 2^32 (ISIZE, little-endian), which a truncated one almost never matches.
    static func isComplete(_ compressed: ByteBuffer, inflatedSize: Int) -> Bool {
        guard compressed.readableBytes >= 18,
              let trailer = compressed.getInteger(at: compressed.writerIndex - 4, endianness: .little, as: UInt32.self)
        else { return false }
        return trailer == UInt32(truncatingIfNeeded: inflatedSize)
    }

    /// What a gzip member says it inflates to (ISIZE, modulo 2^32); nil when it is too short.
    public static func declaredInflatedSize(_ compressed: ByteBuffer) -> Int? {
        guard compressed.readableBytes >= 18 else { return nil }
        return compressed.getInteger(at: compressed.writerIndex - 4, endianness: .little, as: UInt32.self).map(Int.init)
    }

    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip())
        return Array(output.readableBytesView)
    }
}
