"""An EPCIS 2.0 SOAP query service on loopback, for the tests and the bench.

A real spyne application answering GS1's ``getQueryNames``,
``getStandardVersion``, ``getVendorVersion`` and ``poll`` (``SimpleEventQuery``
with ``eventType``, ``GE_recordTime``, ``LT_recordTime``) in GS1's namespaces,
over real HTTP on 127.0.0.1, from a list of event XML fragments. Beside the
SOAP endpoint it serves:

* ``GET /epcis/query?wsdl``: GS1's query WSDL (read from the shared/epcis
  folder), its service address pointed at this server, and the schemas it
  imports at ``/XSD/<name>``;
* ``GET /echo?wsdl``: the WSDL spyne generates for a small non-EPCIS service.

Knobs for the bad-input tests: ``max_events`` (more events in the window
answer ``QueryTooLargeException``), ``delay`` (seconds before answering a
poll), ``fault`` (the EPCIS exception name the next polls answer with),
``raw`` (poll answers are written byte for byte around the fragments, never
parsed: fragments that no XML parser accepts, and ``doctype`` before the
envelope), ``wsdl`` (bytes served instead of GS1's WSDL) and ``files`` (more
paths served on GET). ``requests`` logs the method and path of every request.
"""

import logging
import re
import threading
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # spyne 2.14 imports cgi and six's importer
    from spyne import (
        AnyXml,
        Application,
        Array,
        ComplexModel,
        Fault,
        ServiceBase,
        Unicode,
        rpc,
    )
    from spyne.protocol.soap import Soap11
    from spyne.server.wsgi import WsgiApplication

NS = "urn:epcglobal:epcis-query:xsd:2"
EPCIS_NS = "urn:epcglobal:epcis:xsd:2"
VENDOR_VERSION = "urn:stock-asset-tracking:loopback-epcis:1"
WSDL_NAME = "EPCglobal-epcis-query-2_0.wsdl"


def _parse_time(text):
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _record_time(fragment):
    match = re.search(rb"<recordTime>([^<]+)</recordTime>", fragment)
    return _parse_time(match.group(1).decode()) if match else None


class _QueryResults(ComplexModel):
    __namespace__ = NS
    _type_info = [
        ("queryName", Unicode(sub_ns="")),
        ("resultsBody", AnyXml(sub_ns="")),
    ]


def _exception(name, reason):
    detail = etree.Element(f"{{{NS}}}{name}", nsmap={"epcisq": NS})
    etree.SubElement(detail, "reason").text = reason
    return Fault("Server", reason, detail=detail)


def _bare_rpc(request, answer, returns):
    """A SOAP operation whose body is the ``request`` element, answered with an
    ``answer`` element (GS1's document-literal bare style)."""
    return rpc(
        _body_style="bare",
        _in_message_name=request,
        _out_message_name=answer,
        _returns=returns,
    )


class EpcisQueryService(ServiceBase):
    """The four GS1 operations the poller uses (the server is ``ctx.app.state``)."""

    @_bare_rpc("GetStandardVersion", "GetStandardVersionResult", Unicode)
    def getStandardVersion(ctx):
        return "2.0"

    @_bare_rpc("GetVendorVersion", "GetVendorVersionResult", Unicode)
    def getVendorVersion(ctx):
        return VENDOR_VERSION

    @_bare_rpc(
        "GetQueryNames",
        "GetQueryNamesResult",
        Array(Unicode(sub_ns=""), member_name="string"),
    )
    def getQueryNames(ctx):
        return ["SimpleEventQuery", "SimpleMasterDataQuery"]

    @_bare_rpc("Poll", "QueryResults", _QueryResults)
    def poll(ctx):
        server = ctx.app.state
        request = ctx.in_body_doc
        return server.answer_poll(request)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout tests) is not an error here


class EpcisLoopbackServer:
    """Start with :meth:`start` (or ``with``); ``url`` is the SOAP endpoint."""

    def __init__(self, shared_epcis, events=(), *, max_events=None, delay=0.0):
        self.shared = Path(shared_epcis)
        self._lock = threading.Lock()
        self.reset(events, max_events=max_events, delay=delay)
        application = Application(
            [EpcisQueryService],
            tns=NS,
            name="EPCISService",
            in_protocol=Soap11(validator=None),
            out_protocol=Soap11(),
        )
        application.state = self
        self._soap = WsgiApplication(application)
        echo = Application(
            [_EchoService],
            tns="urn:example:echo",
            in_protocol=Soap11(validator=None),
            out_protocol=Soap11(),
        )
        self._echo = WsgiApplication(echo)
        self._httpd = None
        self._thread = None
        self._spyne_level = None

    # fixture ---------------------------------------------------------------

    def reset(self, events=(), *, max_events=None, delay=0.0):
        """Back to a plain server answering ``events``: no fault, no delay, no
        raw answer or doctype, the real WSDL, nothing recorded."""
        self.events = []
        self.max_events = max_events
        self.delay = delay
        self.fault = None
        self.raw = False
        self.doctype = b""
        self.wsdl = None
        self.files = {}
        self.requests = []  # (method, path with query) of every request
        self.polls = []  # (GE_recordTime, LT_recordTime, eventType) of each poll
        self.set_events(events)

    def set_events(self, events):
        """Event XML fragments (str or bytes), each with its ``recordTime``."""
        items = []
        for fragment in events:
            if isinstance(fragment, str):
                fragment = fragment.encode()
            items.append((_record_time(fragment), fragment))
        with self._lock:
            self.events = items

    # HTTP ------------------------------------------------------------------
    @property
    def base_url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self):
        return f"{self.base_url}/epcis/query"

    @property
    def wsdl_url(self):
        return f"{self.url}?wsdl"

    def start(self):
        # spyne logs the faults it sends (the tests send them on purpose)
        spyne_logger = logging.getLogger("spyne")
        self._spyne_level = spyne_logger.level
        spyne_logger.setLevel(logging.CRITICAL)
        self._httpd = make_server(
            "127.0.0.1",
            0,
            self._dispatch,
            server_class=_ThreadingServer,
            handler_class=_Quiet,
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="epcis-loopback", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None
        logging.getLogger("spyne").setLevel(self._spyne_level or logging.NOTSET)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _dispatch(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self._lock:
            self.requests.append(
                (environ["REQUEST_METHOD"], path + (f"?{query}" if query else ""))
            )
        if environ["REQUEST_METHOD"] == "GET":
            if path == "/epcis/query" and query.lower() == "wsdl":
                return self._file(start_response, self.wsdl or self._wsdl())
            if path in self.files:
                return self._file(start_response, self.files[path])
            if path.startswith("/XSD/") and "/" not in path[5:]:
                target = self.shared / "XSD" / path[5:]
                if target.is_file():
                    return self._file(start_response, target.read_bytes())
            if path == "/echo":
                return self._echo(environ, start_response)
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        if path == "/epcis/query":
            if self.raw:
                return self._raw_poll(environ, start_response)
            return self._soap(environ, start_response)
        if path == "/echo":
            return self._echo(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    @staticmethod
    def _file(start_response, body):
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/xml; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    def _wsdl(self):
        text = (self.shared / "WSDL" / WSDL_NAME).read_bytes()
        return re.sub(
            rb'(<wsdlsoap:address\s+location=")[^"]*(")',
            rb"\g<1>" + self.url.encode() + rb"\g<2>",
            text,
        )

    # poll ------------------------------------------------------------------
    def _raw_poll(self, environ, start_response):
        """A poll answered without spyne: the fragments are written as they are."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        envelope = etree.fromstring(environ["wsgi.input"].read(length))
        request = envelope.find(f".//{{{NS}}}Poll")
        selected = self._select(request)
        body = (
            b'<?xml version="1.0" encoding="utf-8"?>'
            + self.doctype
            + b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"'
            + b' xmlns:q="'
            + NS.encode()
            + b'"><soap:Body><q:QueryResults><queryName>SimpleEventQuery</queryName>'
            + b"<resultsBody><EventList>"
            + b"".join(selected)
            + b"</EventList></resultsBody></q:QueryResults></soap:Body>"
            + b"</soap:Envelope>"
        )
        return self._file(start_response, body)

    def answer_poll(self, request):
        query_name = (request.findtext("queryName") or "").strip()
        if query_name != "SimpleEventQuery":
            raise _exception("NoSuchNameException", f"no query named {query_name!r}")
        selected = self._select(request)
        event_list = etree.fromstring(
            b"<EventList>" + b"".join(selected) + b"</EventList>",
            etree.XMLParser(huge_tree=True),
        )
        return _QueryResults(queryName=query_name, resultsBody=event_list)

    def _select(self, request):
        """The fragments a poll request asks for (its window and event types)."""
        params = {}
        for param in request.iterfind("params/param"):
            name = (param.findtext("name") or "").strip()
            value = param.find("value")
            if value is None:
                continue
            strings = [(item.text or "").strip() for item in value.iterfind("string")]
            params[name] = strings if strings else (value.text or "").strip()
        with self._lock:
            self.polls.append(
                (
                    params.get("GE_recordTime"),
                    params.get("LT_recordTime"),
                    params.get("eventType"),
                )
            )
            fault = self.fault
            events = list(self.events)
        if self.delay:
            time.sleep(self.delay)
        if fault:
            raise _exception(fault, f"{fault} raised by the loopback server")
        start = (
            _parse_time(params["GE_recordTime"]) if "GE_recordTime" in params else None
        )
        end = (
            _parse_time(params["LT_recordTime"]) if "LT_recordTime" in params else None
        )
        kinds = params.get("eventType")
        selected = [
            fragment
            for moment, fragment in events
            if (start is None or (moment and moment >= start))
            and (end is None or (moment and moment < end))
            and (
                not kinds
                or any(f"<{kind}>".encode() in fragment[:40] for kind in kinds)
            )
        ]
        if self.max_events is not None and len(selected) > self.max_events:
            raise _exception(
                "QueryTooLargeException",
                f"{len(selected)} events match, more than {self.max_events}",
            )
        return selected


class _EchoService(ServiceBase):
    """A SOAP service that is not EPCIS (the "wrong WSDL" test)."""

    @rpc(Unicode, _returns=Unicode)
    def echo(ctx, text):
        return text


def object_event(
    epcs,
    *,
    event_time,
    record_time,
    read_point=None,
    biz_location=None,
    event_id=None,
    biz_step="urn:epcglobal:cbv:bizstep:inspecting",
    action="OBSERVE",
    extra="",
):
    """An EPCIS 2.0 ObjectEvent XML fragment (times as ISO strings with zone)."""
    parts = ["<ObjectEvent>", f"<eventTime>{event_time}</eventTime>"]
    parts.append(f"<recordTime>{record_time}</recordTime>")
    parts.append("<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>")
    if event_id:
        parts.append(f"<eventID>{event_id}</eventID>")
    parts.append(extra)
    parts.append(
        "<epcList>" + "".join(f"<epc>{epc}</epc>" for epc in epcs) + "</epcList>"
    )
    parts.append(f"<action>{action}</action>")
    if biz_step:
        parts.append(f"<bizStep>{biz_step}</bizStep>")
    if read_point:
        parts.append(f"<readPoint><id>{read_point}</id></readPoint>")
    if biz_location:
        parts.append(f"<bizLocation><id>{biz_location}</id></bizLocation>")
    parts.append("</ObjectEvent>")
    return "".join(parts)
