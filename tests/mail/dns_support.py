"""A DNS server on 127.0.0.1 (dnslib, in this process) answering TXT records from a dict, for the mail tests.

``resolving_through`` points dnspython's default resolver at it: dossier doctor's lookups
and dkimpy's key lookups then go over real UDP to this server, as they would to any.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dns.resolver
from dnslib import QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class TxtZone(BaseResolver):
    """TXT records by name (lower-case, without the final dot); any other name: NXDOMAIN."""

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = records
        self.queries: list[str] = []

    def resolve(self, request, handler):  # noqa: ANN001, ANN201 - dnslib's signature
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        self.queries.append(name)
        if name not in self.records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if request.q.qtype in (QTYPE.TXT, QTYPE.ANY):
            for text in self.records[name]:
                # Long records split in 255-byte strings, as zone files publish DKIM keys.
                chunks = [text[i:i + 255].encode() for i in range(0, len(text), 255)] or [b""]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(chunks), ttl=60))
        return reply


@contextmanager
def dns_server(records: dict[str, list[str]]) -> Iterator[tuple[TxtZone, int]]:
    zone = TxtZone(records)
    server = DNSServer(zone, port=0, address="127.0.0.1", logger=DNSLogger(logf=lambda _line: None))
    server.start_thread()
    try:
        yield zone, server.server.server_address[1]
    finally:
        server.stop()


@contextmanager
def resolving_through(port: int) -> Iterator[dns.resolver.Resolver]:
    """dnspython's default resolver asks only 127.0.0.1:port while inside."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.lifetime = 10.0
    previous = dns.resolver.default_resolver
    dns.resolver.default_resolver = resolver
    try:
        yield resolver
    finally:
        dns.resolver.default_resolver = previous
