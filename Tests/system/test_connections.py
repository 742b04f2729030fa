"""Connection limits on the real binary (issue 9, item 6): a slow-loris client is cut off after
the header timeout, idle connections after the idle timeout, and a flood of idle connections
beyond the connection cap leaves the server answering new clients."""
import socket
import tempfile
import time

import requests

from conftest import Server

CONFIG = {
    "organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": ["sg_live_connections"]}]}],
    "limits": {"header_timeout_seconds": 1, "body_timeout_seconds": 2, "idle_timeout_seconds": 2, "max_connections": 50},
}


def closed_within(sock, seconds):
    """Whether the server closes `sock` within `seconds` (reading EOF or a reset)."""
    sock.settimeout(seconds)
    deadline = time.time() + seconds
    try:
        while time.time() < deadline:
            if sock.recv(4096) == b"":
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


def test_slow_headers_and_slow_bodies_are_cut_off(binary):
    work = tempfile.mkdtemp(prefix="sextant-connections-")
    server = Server(binary, work + "/data", CONFIG, work)
    try:
        # One header byte every 0.3 s resets any idle timer; only a deadline on the head stops it.
        slow_head = socket.create_connection(("127.0.0.1", server.port))
        slow_head.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started, cut = time.time(), False
        while time.time() - started < 8 and not cut:
            try:
                slow_head.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                cut = True
                break
            cut = closed_within(slow_head, 0.3)
        assert cut and time.time() - started < 5, "a request head trickling in must be cut off at the header timeout"

        slow_body = socket.create_connection(("127.0.0.1", server.port))
        slow_body.sendall(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
        assert closed_within(slow_body, 6), "a body that never completes must be cut off"

        idle = socket.create_connection(("127.0.0.1", server.port))
        assert closed_within(idle, 8), "an idle connection must be closed"
        assert requests.get(server.base + "/healthz", timeout=5).status_code == 200
    finally:
        server.stop()


def test_idle_connections_beyond_the_cap_do_not_lock_new_clients_out(binary):
    work = tempfile.mkdtemp(prefix="sextant-connections-")
    server = Server(binary, work + "/data", CONFIG, work)
    idle = []
    try:
        for _ in range(300):
            idle.append(socket.create_connection(("127.0.0.1", server.port)))
        # Idle ones are closed within header + idle timeouts; new clients then get in.
        deadline = time.time() + 20
        answered = False
        while time.time() < deadline and not answered:
            try:
                answered = requests.get(server.base + "/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                time.sleep(0.2)
        assert answered, "the server stayed unreachable behind idle connections"
        assert server.process.poll() is None
    finally:
        for sock in idle:
            sock.close()
        server.stop()
