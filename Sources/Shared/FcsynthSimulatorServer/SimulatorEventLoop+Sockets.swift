import Glibc

extension SimulatorEventLoop {
    private static let readEvents = SimulatorEpoll.readable | SimulatorEpoll.peerClosed
    /// What the `large` fault streams, shared by every connection that sends it.
    private static let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 256 * 1024)

    package func acceptConnections() {
        while true {
            let fd = accept(listenerFD, nil, nil)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE {
                    // The rest wait in the backlog until a connection closes.
                    acceptPaused = true
                    epoll.modify(listenerFD, token: Self.listenerToken, events: 0)
                }
                return
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            let connection = SimulatorConnection(id: nextConnectionID, fd: fd)
            nextConnectionID += 1
            do {
                try epoll.add(fd, token: connection.id, events: Self.readEvents)
            } catch {
                close(fd)
                continue
            }
            connections[connection.id] = connection
            stats.openConnections += 1
        }
    }

    /// Reads until the socket is dry, then acts on whatever complete requests arrived.
    package func readAvailable(_ connection: SimulatorConnection) {
        while true {
            let count = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if case .hung = connection.phase { continue }
                connection.inbound.append(contentsOf: readBuffer[0..<count])
                if connection.inbound.count - connection.inboundStart > options.maxRequestBytes
                    + SimulatorHTTPRequest.maxHeadBytes
                {
                    // A client that keeps sending while its request is pending is not one we can serve.
                    closeConnection(connection)
                    return
                }
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { break }
            closeConnection(connection)
            return
        }
        if case .reading = connection.phase {
            serveBuffered(connection)
        }
    }

    /// Parses and serves the next buffered request, if one is complete.
    package func serveBuffered(_ connection: SimulatorConnection) {
        switch SimulatorHTTPRequest.parse(
            connection.inbound, from: connection.inboundStart, maxBodyBytes: options.maxRequestBytes)
        {
        case .incomplete:
            connection.compactInbound()
        case .invalid(let status, let message):
            let body = SimulatorWire.error(message, type: "invalid_request_error")
            send(SimulatorHTTPResponse(status: status, body: body), on: connection, keepAlive: false)
        case .complete(let request, let consumed):
            connection.inboundStart += consumed
            connection.compactInbound()
            route(request, on: connection)
        }
    }

    package func send(_ response: SimulatorHTTPResponse, on connection: SimulatorConnection, keepAlive: Bool) {
        connection.phase = .writing
        connection.outbound = response.serialized(keepAlive: keepAlive)
        connection.outboundOffset = 0
        connection.fillerRemaining = response.streamedFiller
        connection.closeAfterWrite = !keepAlive
        flush(connection)
    }

    /// Writes until the answer is out or the socket is full; a full socket waits for EPOLLOUT.
    package func flush(_ connection: SimulatorConnection) {
        while connection.hasPendingOutput {
            if connection.outboundOffset == connection.outbound.count {
                let chunk = min(connection.fillerRemaining, Self.filler.count)
                connection.outbound = chunk == Self.filler.count ? Self.filler : Array(Self.filler[0..<chunk])
                connection.outboundOffset = 0
                connection.fillerRemaining -= chunk
            }
            let offset = connection.outboundOffset
            let count = connection.outbound.withUnsafeBytes {
                Glibc.send(connection.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                connection.outboundOffset += count
                continue
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                setWatchesWritable(connection, true)
            } else {
                closeConnection(connection)
            }
            return
        }
        setWatchesWritable(connection, false)
        connection.outbound = []
        connection.outboundOffset = 0
        if connection.closeAfterWrite {
            closeConnection(connection)
        } else {
            connection.phase = .reading
            serveBuffered(connection)
        }
    }

    private func setWatchesWritable(_ connection: SimulatorConnection, _ watches: Bool) {
        guard connection.watchesWritable != watches else { return }
        connection.watchesWritable = watches
        epoll.modify(
            connection.fd, token: connection.id,
            events: watches ? Self.readEvents | SimulatorEpoll.writable : Self.readEvents)
    }

    /// Closes the socket and forgets the connection; an unanswered exchange ends with it.
    /// An abortive close sends a TCP reset, as a crashed upstream or a proxy would.
    package func closeConnection(_ connection: SimulatorConnection, abortively: Bool = false) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        if abortively {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        switch connection.phase {
        case .answering:
            stats.inFlight -= 1
        case .hung:
            stats.inFlight -= 1
            stats.hungConnections -= 1
        case .reading, .writing:
            break
        }
        close(connection.fd)
        stats.openConnections -= 1
        if acceptPaused {
            acceptPaused = false
            epoll.modify(listenerFD, token: Self.listenerToken, events: SimulatorEpoll.readable)
        }
    }
}
