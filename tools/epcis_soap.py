"""A zeep client for the SOAP query interface of an EPCIS 1.2 / 2.0 repository.

Plain Python (zeep, requests, lxml; no Odoo import). The repository model
(``stock.asset.epcis.repository``) opens one :class:`EpcisQueryClient` per poll,
outside any database transaction, and gets either plain data back or an
:class:`EpcisSoapError` whose text is meant for the user.

Every call has a timeout (``timeout`` seconds, for loading the WSDL and for
each operation). ``poll`` is sent through zeep (the WSDL shapes the request)
but its answer is read with lxml: each event of the ``EventList`` is judged on
its own by :mod:`.epcis_xml`, so one malformed event does not lose a page.

Where it may connect (see README, "Security and failure model"):

* every request (WSDL, schemas, operations, redirects) goes through a
  :class:`HostPolicy`: the host is resolved and each of its addresses must be
  public (not loopback, link-local, private, reserved, multicast, unspecified,
  IPv4-mapped included) unless the policy allows it; the address a connection
  actually reaches is checked again (DNS can change between the two);
* the WSDL and the schemas it imports are read from one origin only (scheme,
  host and port of the WSDL URL, or of the endpoint for an uploaded WSDL);
  anything else (another host, ``file:``, a local path) is refused;
* loaded WSDLs are cached per process, keyed on the database, the URL (or the
  uploaded file), the endpoint and a hash of the credentials, at most
  :data:`WSDL_CACHE_SIZE` of them, for :data:`_WSDL_TTL` seconds.
"""

import hashlib
import io
import ipaddress
import os
import re
import socket
import tempfile
import threading
import time
from collections import OrderedDict
from datetime import timezone
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
import zeep
import zeep.exceptions
from lxml import etree
from zeep import xsd

from .epcis_xml import SAFE_PARSER

__all__ = [
    "QUERY_NAMESPACES",
    "EpcisQueryClient",
    "EpcisSoapError",
    "HostPolicy",
    "QueryTooLarge",
    "RefusedUrl",
    "UnreadablePage",
    "forget_wsdls",
]

QUERY_NAMESPACES = (
    "urn:epcglobal:epcis-query:xsd:2",
    "urn:epcglobal:epcis-query:xsd:1",
)
REQUIRED_OPERATIONS = (
    "poll",
    "getQueryNames",
    "getStandardVersion",
    "getVendorVersion",
)
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_WSDL_TTL = 3600.0
WSDL_CACHE_SIZE = 32
_WSDL_CACHE = OrderedDict()
_WSDL_LOCK = threading.Lock()
_PARSER = SAFE_PARSER
# a larger poll answer is asked again for a smaller recordTime window
MAX_ANSWER_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 5
_EVENT_ID_RE = re.compile(rb"<(?:[\w.-]+:)?eventID>\s*([^<\s]{1,1024})\s*</")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ERRNO_RE = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


class RefusedUrl(Exception):
    """A URL or address the client refuses to reach (message for people)."""


def _blocked(ip):
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


class HostPolicy:
    """Which non-public addresses may be reached.

    ``allow``: empty (none), ``"1"`` (all), or a comma-separated list of host
    names, addresses and networks (``127.0.0.1``, ``10.0.0.0/8``,
    ``epcis.internal``): a host named in it may resolve to anything, an address
    in one of its networks may be reached.
    """

    def __init__(self, allow=None):
        tokens = [token.strip() for token in (allow or "").split(",")]
        tokens = [token for token in tokens if token]
        self.allow_all = any(token in ("1", "*") for token in tokens)
        self.names = set()
        self.networks = []
        for token in tokens:
            bare = token.strip("[]")
            try:
                self.networks.append(ipaddress.ip_network(bare, strict=False))
            except ValueError:
                self.names.add(bare.lower().rstrip("."))

    def _allowed(self, host, ip):
        if self.allow_all or (host or "").lower().rstrip(".") in self.names:
            return True
        candidates = [ip]
        if ip.version == 6 and ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        return any(
            candidate in network
            for candidate in candidates
            for network in self.networks
            if candidate.version == network.version
        )

    def check_address(self, host, address):
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if _blocked(ip) and not self._allowed(host, ip):
            try:
                literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
            except ValueError:
                literal = None
            name = host if literal == ip else f"{host} ({ip})"
            raise RefusedUrl(
                f"{name} is a loopback, link-local, private or reserved address, "
                "which the server calls only if an administrator allows it (system "
                "parameter stock_asset_tracking.epcis_allow_private_hosts)"
            )

    def check_host(self, host, port=None, resolve=True):
        """Raise :class:`RefusedUrl` when ``host`` (or one of its addresses) is
        not allowed; a name that does not resolve passes (nothing to reach)."""
        host = (host or "").strip("[]")
        if not host:
            raise RefusedUrl("the URL has no host")
        try:
            addresses = [str(ipaddress.ip_address(host.split("%", 1)[0]))]
        except ValueError:
            if not resolve:
                return
            try:
                infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
            except (OSError, UnicodeError):
                return
            addresses = sorted({info[4][0] for info in infos})
        for address in addresses:
            self.check_address(host, address)

    def check_url(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise RefusedUrl(f"{url}: only http:// and https:// URLs are allowed")
        try:
            port = parts.port
        except ValueError as error:
            raise RefusedUrl(f"{url}: invalid port") from error
        self.check_host(parts.hostname, port or _DEFAULT_PORTS[parts.scheme])


def _origin(url):
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return (scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme))


def _guarded_pool_classes(policy):
    """urllib3 pools whose new connections are checked on the address reached."""

    def check(connection, sock):
        try:
            policy.check_address(connection.host, sock.getpeername()[0])
        except BaseException:
            sock.close()
            raise

    class Connection(urllib3.connection.HTTPConnection):
        def _new_conn(self):
            sock = super()._new_conn()
            check(self, sock)
            return sock

    class SecureConnection(urllib3.connection.HTTPSConnection):
        def _new_conn(self):
            sock = super()._new_conn()
            check(self, sock)
            return sock

    class Pool(urllib3.HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(urllib3.HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    return {"http": Pool, "https": SecurePool}


class _GuardedAdapter(requests.adapters.HTTPAdapter):
    """Checks every request's host, and every direct connection's address."""

    def __init__(self, policy):
        self.policy = policy
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        result = super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pool_classes(self.policy)
        return result

    def send(self, request, *args, **kwargs):
        self.policy.check_url(request.url)
        return super().send(request, *args, **kwargs)


class _OriginTransport(zeep.Transport):
    """Loads the WSDL and its imports from one origin only (no other host,
    scheme or port, no local file), following redirects within it."""

    def __init__(self, origin, **kwargs):
        self.origin = origin
        super().__init__(**kwargs)

    def _check_origin(self, url):
        if _origin(url) != self.origin:
            raise RefusedUrl(
                f"{url} is outside {self.origin[0]}://{self.origin[1]}:"
                f"{self.origin[2]}: the WSDL and its schemas are read from that "
                "host only"
            )

    def load(self, url):
        if not url:
            raise ValueError("No url given to load")
        self._check_origin(url)
        return self._load_remote_data(url)

    def _load_remote_data(self, url):
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_origin(url)
            response = self.session.get(
                url, timeout=self.load_timeout, allow_redirects=False
            )
            if not response.is_redirect:
                response.raise_for_status()
                return response.content
            url = urljoin(url, response.headers["location"])
        raise RefusedUrl(f"more than {MAX_REDIRECTS} redirects loading the WSDL")


def _digest(value):
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.encode()
    return hashlib.sha256(value).hexdigest()


def forget_wsdls(dbname, urls=None):
    """Drop the cached WSDLs of ``dbname`` (only those of ``urls`` if given:
    WSDL URLs or endpoints)."""
    urls = set(filter(None, urls or ()))
    with _WSDL_LOCK:
        for key in list(_WSDL_CACHE):
            if key[0] == dbname and (not urls or urls & {key[1], key[2]}):
                del _WSDL_CACHE[key]


class EpcisSoapError(Exception):
    """A failed exchange with the repository, with a readable reason.

    ``kind``: ``wsdl`` (not an EPCIS query WSDL, or unreadable), ``timeout``,
    ``network``, ``http`` (an HTTP error status), ``fault`` (a SOAP fault; the
    EPCIS exception name in ``exception``), ``protocol`` (an answer that is not
    a SOAP envelope).
    """

    def __init__(self, kind, message, exception=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.exception = exception


class QueryTooLarge(EpcisSoapError):
    """The server refused the query as too large: ask for a smaller window."""


class UnreadablePage(EpcisSoapError):
    """A poll answer that looks like query results but cannot be read as XML
    (too deep, an entity loop, a broken event): ``event_ids`` are the eventIDs
    its bytes seem to hold."""

    def __init__(self, kind, message, raw=b""):
        super().__init__(kind, message)
        self.event_ids = list(
            dict.fromkeys(
                match.decode("utf-8", "replace")
                for match in _EVENT_ID_RE.findall(raw[:MAX_ANSWER_BYTES])
            )
        )


def _fault_error(fault_element):
    """EpcisSoapError of a ``soap:Fault`` element (its EPCIS exception named)."""
    reason = (fault_element.findtext("faultstring") or "").strip()
    exception = None
    detail = fault_element.find("detail")
    if detail is not None and len(detail):
        first = detail[0]
        exception = etree.QName(first).localname
        reason = (first.findtext("reason") or "").strip() or reason
    label = exception or "SOAP fault"
    cls = QueryTooLarge if exception == "QueryTooLargeException" else EpcisSoapError
    return cls("fault", f"{label}: {reason or 'no reason given'}", exception)


def _zeep_fault_error(fault):
    exception = None
    reason = fault.message or ""
    detail = fault.detail
    if detail is not None and len(detail):
        exception = etree.QName(detail[0]).localname
        reason = (detail[0].findtext("reason") or "").strip() or reason
    label = exception or "SOAP fault"
    cls = QueryTooLarge if exception == "QueryTooLargeException" else EpcisSoapError
    return cls("fault", f"{label}: {reason or 'no reason given'}", exception)


class EpcisQueryClient:
    """One session with an EPCIS query service; use it as a context manager.

    ``wsdl_url`` (http/https) or ``wsdl_bytes`` (an uploaded WSDL, whose
    relative imports resolve against ``endpoint``) describe the service;
    calls go to ``endpoint``. Credentials: ``username`` / ``password`` (HTTP
    basic), or ``certificate`` / ``private_key`` (PEM bytes, TLS client
    certificate; written to a private temporary folder for the session only).
    """

    def __init__(
        self,
        endpoint,
        *,
        wsdl_url=None,
        wsdl_bytes=None,
        username=None,
        password=None,
        certificate=None,
        private_key=None,
        timeout=30,
        verify=True,
        policy=None,
        dbname=None,
        reload=False,
    ):
        self.endpoint = endpoint
        self.wsdl_url = wsdl_url
        self.wsdl_bytes = wsdl_bytes
        self.timeout = timeout
        self.policy = policy or HostPolicy()
        self.reload = reload
        self._tmpdir = None
        self._cache_key = (
            dbname,
            None if wsdl_bytes else wsdl_url,
            endpoint,
            _digest(wsdl_bytes) if wsdl_bytes else "",
            username or "",
            _digest(password),
            _digest((certificate or b"") + b"\n" + (private_key or b"")),
            bool(verify),
        )
        self.session = requests.Session()
        self.session.verify = verify
        self.session.max_redirects = MAX_REDIRECTS
        adapter = _GuardedAdapter(self.policy)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        if username:
            self.session.auth = requests.auth.HTTPBasicAuth(username, password or "")
        if certificate:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="epcis-cert-")
            cert_path = os.path.join(self._tmpdir.name, "client.pem")
            with open(os.open(cert_path, os.O_CREAT | os.O_WRONLY, 0o600), "wb") as f:
                f.write(certificate)
                if private_key:
                    f.write(b"\n" + private_key)
            self.session.cert = cert_path
        self.transport = zeep.Transport(
            session=self.session, timeout=timeout, operation_timeout=timeout
        )
        self._service = None
        self._client = None
        self._namespace = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.session.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    # WSDL ---------------------------------------------------------------------
    def _document(self):
        key = self._cache_key
        now = time.monotonic()
        with _WSDL_LOCK:
            cached = _WSDL_CACHE.get(key)
            if cached and not self.reload and now - cached[0] < _WSDL_TTL:
                _WSDL_CACHE.move_to_end(key)
                return cached[1]
        settings = zeep.Settings(strict=False, xml_huge_tree=False)
        loader = _OriginTransport(
            _origin(self.endpoint if self.wsdl_bytes else self.wsdl_url),
            session=self.session,
            timeout=self.timeout,
            operation_timeout=self.timeout,
        )
        if self.wsdl_bytes:
            document = zeep.wsdl.Document(
                io.BytesIO(self.wsdl_bytes),
                loader,
                base=self.endpoint,
                settings=settings,
            )
        else:
            document = zeep.wsdl.Document(self.wsdl_url, loader, settings=settings)
        with _WSDL_LOCK:
            _WSDL_CACHE[key] = (now, document)
            _WSDL_CACHE.move_to_end(key)
            while len(_WSDL_CACHE) > WSDL_CACHE_SIZE:
                _WSDL_CACHE.popitem(last=False)
        return document

    def _bind(self):
        """The service proxy on ``endpoint``; checks the WSDL is EPCIS's."""
        if self._service is not None:
            return self._service
        source = self.wsdl_url or "the uploaded WSDL"
        try:
            document = self._guard(self._document)
        except EpcisSoapError as error:
            raise EpcisSoapError(
                "wsdl", f"WSDL {source} could not be loaded: {error.message}"
            ) from error
        except (zeep.exceptions.Error, etree.XMLSyntaxError, ValueError) as error:
            raise EpcisSoapError(
                "wsdl", f"WSDL {source} could not be read: {error}"
            ) from error
        offered = set()
        for name, binding in document.bindings.items():
            operations = set(binding._operations)
            offered |= operations
            if not set(REQUIRED_OPERATIONS) <= operations:
                continue
            poll = binding._operations["poll"]
            element = poll.input.body.qname if poll.input.body is not None else None
            namespace = element.namespace if element is not None else None
            if namespace not in QUERY_NAMESPACES:
                continue
            self._client = zeep.Client(
                document, transport=self.transport, settings=document.settings
            )
            self._namespace = namespace
            self._service = self._client.create_service(name, self.endpoint)
            return self._service
        missing = sorted(set(REQUIRED_OPERATIONS) - offered)
        raise EpcisSoapError(
            "wsdl",
            f"WSDL {source} is not an EPCIS query interface: no binding with "
            f"{', '.join(REQUIRED_OPERATIONS)} in the EPCIS query namespace "
            f"(missing: {', '.join(missing) or 'none'}; offered: "
            f"{', '.join(sorted(offered)) or 'no operation'})",
        )

    def _guard(self, call, *args, **kwargs):
        """Run ``call``; turn network and transport failures into EpcisSoapError."""
        try:
            return call(*args, **kwargs)
        except RefusedUrl as error:
            raise EpcisSoapError("blocked", f"refused: {error}") from error
        except requests.exceptions.Timeout as error:
            raise EpcisSoapError(
                "timeout",
                f"no answer from {self.endpoint} within {self.timeout} s",
            ) from error
        except requests.exceptions.SSLError as error:
            raise EpcisSoapError("network", f"TLS error: {error}") from error
        except requests.exceptions.RequestException as error:
            # the system's reason (connection refused, unknown name), not the
            # library's internals
            match = _ERRNO_RE.search(str(error))
            reason = match.group(1).strip() if match else "the connection failed"
            raise EpcisSoapError(
                "network", f"cannot reach {self.endpoint}: {reason}"
            ) from error
        except zeep.exceptions.Fault as error:
            raise _zeep_fault_error(error) from error
        except zeep.exceptions.TransportError as error:
            raise EpcisSoapError(
                "http", f"HTTP {error.status_code} from {self.endpoint}"
            ) from error
        except zeep.exceptions.XMLSyntaxError as error:
            raise EpcisSoapError(
                "protocol", f"answer is not XML: {error.message}"
            ) from error

    # operations ---------------------------------------------------------------
    def check(self):
        """``{"standard_version", "vendor_version", "query_names"}``: the
        "test connection" of the repository form."""
        service = self._bind()
        standard = self._guard(service.getStandardVersion)
        vendor = self._guard(service.getVendorVersion)
        names = self._guard(service.getQueryNames)
        if names is not None and not isinstance(names, list):
            names = list(getattr(names, "string", None) or [])
        return {
            "standard_version": str(standard or ""),
            "vendor_version": str(vendor or ""),
            "query_names": [str(name) for name in names or []],
        }

    def poll_object_events(self, start, end):
        """``EventList`` element (or None) of the ObjectEvents recorded in
        ``[start, end)`` (aware or UTC-naive datetimes), via ``SimpleEventQuery``.

        Raises :class:`QueryTooLarge` when the server finds the answer too big.
        """
        service = self._bind()
        client = self._client
        strings = client.get_type(f"{{{self._namespace}}}ArrayOfString")
        params = [
            {
                "name": "eventType",
                "value": xsd.AnyObject(strings, strings(string=["ObjectEvent"])),
            },
            {
                "name": "GE_recordTime",
                "value": xsd.AnyObject(xsd.DateTime(), _aware(start)),
            },
            {
                "name": "LT_recordTime",
                "value": xsd.AnyObject(xsd.DateTime(), _aware(end)),
            },
        ]
        with client.settings(raw_response=True):
            response = self._guard(
                service.poll, queryName="SimpleEventQuery", params={"param": params}
            )
        return self._results(response)

    def _results(self, response):
        content = response.content
        if len(content) > MAX_ANSWER_BYTES and response.status_code < 400:
            raise QueryTooLarge(
                "fault",
                f"the answer is {len(content)} bytes, more than {MAX_ANSWER_BYTES}",
            )
        try:
            root = etree.fromstring(content, _PARSER)
        except etree.XMLSyntaxError as error:
            if response.status_code >= 400:
                raise EpcisSoapError(
                    "http", f"HTTP {response.status_code} from {self.endpoint}"
                ) from error
            if b"QueryResults" in content and b"EventList" in content:
                # query results with something unreadable inside: the caller
                # narrows the window down to the event(s) at fault
                raise UnreadablePage(
                    "protocol",
                    "the answer cannot be read as XML (nested too deep, an entity "
                    "loop, a text too long or a broken event)",
                    content,
                ) from error
            raise EpcisSoapError(
                "protocol", "the poll answer is not well-formed XML"
            ) from error
        body = root.find(f"{{{SOAP_ENV}}}Body")
        if body is None or not len(body):
            raise EpcisSoapError("protocol", "the poll answer is not a SOAP envelope")
        answer = body[0]
        if answer.tag == f"{{{SOAP_ENV}}}Fault":
            raise _fault_error(answer)
        if response.status_code >= 400:
            raise EpcisSoapError(
                "http", f"HTTP {response.status_code} from {self.endpoint}"
            )
        if etree.QName(answer).localname != "QueryResults":
            raise EpcisSoapError(
                "protocol",
                f"the poll answer is {etree.QName(answer).localname}, not QueryResults",
            )
        lists = answer.xpath(
            "./*[local-name()='resultsBody']/*[local-name()='EventList']"
        )
        return lists[0] if lists else None


def _aware(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment
