import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes connections of clients that are too slow, per connection, on its event loop:
///
/// - no complete request head within the idle timeout (an idle keep-alive connection, or a head
///   sent a byte at a time);
/// - a request body that pauses longer than the read timeout;
/// - a request not answered within the request time limit;
/// - a response written before its request body was read (a 413, a 415): the rest of the body
///   is not worth reading, so the connection is closed shortly after, once the client had time
///   to read the answer.
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let idleTimeout: TimeAmount
    private let readTimeout: TimeAmount
    private let requestTimeout: TimeAmount
    /// How long an unread body is drained after its answer, so the client can read the answer
    /// before the connection closes.
    private static let lingerTime = TimeAmount.seconds(2)

    private var idleTimer: Scheduled<Void>?
    private var readTimer: Scheduled<Void>?
    private var requestTimer: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?
    /// A request head arrived and its end has not.
    private var readingBody = false
    /// Requests whose response has not ended.
    private var unanswered = 0

    init(idleTimeout: Swift.Duration, readTimeout: Swift.Duration, requestTimeout: Swift.Duration) {
        self.idleTimeout = TimeAmount(idleTimeout)
        self.readTimeout = TimeAmount(readTimeout)
        self.requestTimeout = TimeAmount(requestTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startIdleTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleTimer(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelAll() }

    func channelInactive(context: ChannelHandlerContext) {
        cancelAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            idleTimer?.cancel()
            idleTimer = nil
            readingBody = true
            unanswered += 1
            requestTimer?.cancel()
            requestTimer = closeAfter(requestTimeout, context)
            readTimer?.cancel()
            readTimer = closeAfter(readTimeout, context)
        case .body:
            readTimer?.cancel()
            readTimer = readingBody ? closeAfter(readTimeout, context) : nil
        case .end:
            readingBody = false
            readTimer?.cancel()
            readTimer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0 {
                requestTimer?.cancel()
                requestTimer = nil
                if readingBody {
                    if lingerTimer == nil { lingerTimer = closeAfter(Self.lingerTime, context) }
                } else {
                    startIdleTimer(context)
                }
            }
        }
        context.write(data, promise: promise)
    }

    private func startIdleTimer(_ context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = closeAfter(idleTimeout, context)
    }

    private func closeAfter(_ delay: TimeAmount, _ context: ChannelHandlerContext) -> Scheduled<Void> {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        return context.eventLoop.scheduleTask(in: delay) {
            loopBound.value.close(promise: nil)
        }
    }

    private func cancelAll() {
        for timer in [idleTimer, readTimer, requestTimer, lingerTimer] { timer?.cancel() }
        (idleTimer, readTimer, requestTimer, lingerTimer) = (nil, nil, nil, nil)
    }
}
