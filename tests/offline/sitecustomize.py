"""Offline guard for the test suite: no connection leaves this machine.

Put on ``PYTHONPATH`` by ``tests/conftest.py``, so Python imports it at start-up
in the test process and in every Python subprocess the tests start (the
``rhetoric`` command, notebook kernels, JupyterLab). Connections to the
loopback interface and Unix sockets stay allowed (kernels and JupyterLab talk
over them); any other connection, and any name lookup other than localhost,
raises ``OSError`` naming the guard.
"""

from __future__ import annotations

import ipaddress
import socket

_MESSAGE = "offline guard: {what} refused (the rhetoric test suite runs without network)"
_connect, _connect_ex, _getaddrinfo = (
    socket.socket.connect,
    socket.socket.connect_ex,
    socket.getaddrinfo,
)


def _local(host) -> bool:
    if host in (None, "", "localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
        raise OSError(_MESSAGE.format(what=f"connection to {address[0]}:{address[1]}"))


def _guarded_connect(self, address):
    _check(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _local(host.decode() if isinstance(host, bytes) else host):
        raise socket.gaierror(socket.EAI_NONAME, _MESSAGE.format(what=f"name lookup of {host!r}"))
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _guarded_getaddrinfo
