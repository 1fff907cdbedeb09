"""A zeep client for the SOAP query interface of an EPCIS 1.2 / 2.0 repository.

Plain Python (zeep, requests, lxml; no Odoo import). The repository model
(``stock.asset.epcis.repository``) opens one :class:`EpcisQueryClient` per poll,
outside any database transaction, and gets either plain data back or an
:class:`EpcisSoapError` whose text is meant for the user.

Every call has a timeout (``timeout`` seconds, for loading the WSDL and for
each operation). ``poll`` is sent through zeep (the WSDL shapes the request)
but its answer is read with lxml: each event of the ``EventList`` is judged on
its own by :mod:`.epcis_xml`, so one malformed event does not lose a page.
"""

import io
import os
import tempfile
import threading
import time
from datetime import timezone

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep import xsd

__all__ = [
    "QUERY_NAMESPACES",
    "EpcisQueryClient",
    "EpcisSoapError",
    "QueryTooLarge",
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
_WSDL_CACHE = {}
_WSDL_LOCK = threading.Lock()
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


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
    ):
        self.endpoint = endpoint
        self.wsdl_url = wsdl_url
        self.wsdl_bytes = wsdl_bytes
        self.timeout = timeout
        self._tmpdir = None
        self.session = requests.Session()
        self.session.verify = verify
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
        if self.wsdl_bytes:
            key = ("bytes", hash(self.wsdl_bytes), self.endpoint)
        else:
            key = ("url", self.wsdl_url)
        now = time.monotonic()
        with _WSDL_LOCK:
            cached = _WSDL_CACHE.get(key)
            if cached and now - cached[0] < _WSDL_TTL:
                return cached[1]
        settings = zeep.Settings(strict=False, xml_huge_tree=True)
        loader = zeep.Transport(
            session=self.session, timeout=self.timeout, operation_timeout=self.timeout
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
            if len(_WSDL_CACHE) > 16:
                _WSDL_CACHE.clear()
            _WSDL_CACHE[key] = (now, document)
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
        except requests.exceptions.Timeout as error:
            raise EpcisSoapError(
                "timeout",
                f"no answer from {self.endpoint} within {self.timeout} s",
            ) from error
        except requests.exceptions.SSLError as error:
            raise EpcisSoapError("network", f"TLS error: {error}") from error
        except requests.exceptions.RequestException as error:
            raise EpcisSoapError(
                "network", f"cannot reach {self.endpoint}: {error}"
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
        try:
            root = etree.fromstring(response.content, _PARSER)
        except etree.XMLSyntaxError as error:
            if response.status_code >= 400:
                raise EpcisSoapError(
                    "http", f"HTTP {response.status_code} from {self.endpoint}"
                ) from error
            raise EpcisSoapError(
                "protocol", f"the poll answer is not XML: {error}"
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
