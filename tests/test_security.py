"""Broker connection security: TLS contexts, aiokafka kwargs, Faust credentials, and secrets kept out of
reprs, dumps, error messages and worker logs. TLS tests use a CA and certificates made with the
`openssl` command in tmp_path and a small asyncio TLS server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import streams.kafka_io as kafka_io
from streams.app import create_app
from streams.cli import main
from streams.config import Settings
from streams.security import SecurityError, check_broker_url, client_kwargs, faust_credentials, ssl_context

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "hunter2-Pa55w0rd-6b1f"  # noqa: S105 - a test secret that must appear nowhere
KEY_PASSWORD = "keypass-9c2e-Secret"  # noqa: S105
MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings() reads TOLLWATCH_* from the environment: start every test without any."""
    for name in list(os.environ):
        if name.startswith("TOLLWATCH_"):
            monkeypatch.delenv(name)


def settings(**fields: Any) -> Settings:
    return Settings.model_validate(fields)


def sasl(protocol: str = "SASL_SSL", mechanism: str = "PLAIN", **extra: Any) -> Settings:
    return settings(security_protocol=protocol, sasl_mechanism=mechanism, sasl_username="alice",
                    sasl_password=PASSWORD, **extra)  # fmt: skip


# -- a CA, a server certificate for 127.0.0.1/localhost, a client certificate (plain and encrypted key)


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    client_key_encrypted: Path  # encrypted with KEY_PASSWORD
    other_ca: Path  # a CA that signed nothing here


def _openssl(cwd: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)  # noqa: S603, S607


def _ca(d: Path, name: str) -> None:
    _openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}", "-addext",
             "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip


def _leaf(d: Path, name: str, ca: str, extensions: str) -> None:
    (d / f"{name}.ext").write_text(extensions)
    _openssl(d, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}")  # fmt: skip
    _openssl(d, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
             "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not on PATH")
    d = tmp_path_factory.mktemp("pki")
    _ca(d, "test-ca")
    _ca(d, "other-ca")
    _leaf(d, "broker", "test-ca", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
          "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")  # fmt: skip
    _leaf(d, "tollwatch-client", "test-ca", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
          "extendedKeyUsage=clientAuth\n")  # fmt: skip
    _openssl(d, "pkey", "-in", "tollwatch-client.key", "-aes256", "-passout", f"pass:{KEY_PASSWORD}",
             "-out", "tollwatch-client.enc.key")  # fmt: skip
    return Pki(d / "test-ca.pem", d / "broker.pem", d / "broker.key", d / "tollwatch-client.pem",
               d / "tollwatch-client.key", d / "tollwatch-client.enc.key", d / "other-ca.pem")  # fmt: skip


# -- a tiny TLS server: greets with the client certificate's CN (or "-"), and counts completed handshakes


@dataclass
class TlsServer:
    port: int
    handshakes: int = 0


def _server_context(pki: Pki, require_client_cert: bool) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=pki.ca)
    return context


async def _with_server(pki: Pki, body: Any, require_client_cert: bool = False) -> Any:
    state = TlsServer(port=0)

    async def greet(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.handshakes += 1  # asyncio calls this only after the TLS handshake succeeded
        peer = writer.get_extra_info("peercert") or {}
        cn = dict(item[0] for item in peer.get("subject", ())).get("commonName", "-")
        try:
            writer.write(f"hello {cn}\n".encode())
            await writer.drain()
        finally:
            writer.close()
            with _quiet():
                await writer.wait_closed()

    server = await asyncio.start_server(greet, "127.0.0.1", 0, ssl=_server_context(pki, require_client_cert))
    state.port = server.sockets[0].getsockname()[1]
    try:
        return await body(state)
    finally:
        server.close()
        await server.wait_closed()


class _quiet:
    """Suppress the connection errors a refused TLS peer produces on close."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind is not None and issubclass(kind, (ssl.SSLError, ConnectionError, OSError))


async def _greeting(port: int, context: ssl.SSLContext, server_hostname: str | None = None) -> bytes:
    """Connect like aiokafka does (server_hostname = the host connected to) and read the greeting."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname=server_hostname), 10
    )
    try:
        return await asyncio.wait_for(reader.readline(), 10)
    finally:
        writer.close()
        with _quiet():
            await writer.wait_closed()


# -- ssl_context


def test_no_tls_context_without_tls() -> None:
    assert ssl_context(settings()) is None
    assert ssl_context(sasl("SASL_PLAINTEXT")) is None


@pytest.mark.parametrize("protocol", ["SSL", "SASL_SSL"])
def test_tls_context_verifies_and_needs_tls_1_2(protocol: str) -> None:
    s = sasl(protocol) if protocol == "SASL_SSL" else settings(security_protocol="SSL")
    context = ssl_context(s)
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert context.cert_store_stats()["x509_ca"] == ssl.create_default_context().cert_store_stats()["x509_ca"]


def test_handshake_with_the_configured_ca_and_refused_with_system_cas(pki: Pki) -> None:
    ours = ssl_context(settings(security_protocol="SSL", ssl_cafile=str(pki.ca)))
    system = ssl_context(settings(security_protocol="SSL"))
    other = ssl_context(settings(security_protocol="SSL", ssl_cafile=str(pki.other_ca)))
    assert ours is not None and system is not None and other is not None

    async def body(server: TlsServer) -> None:
        assert await _greeting(server.port, ours) == b"hello -\n"
        assert await _greeting(server.port, ours, server_hostname="localhost") == b"hello -\n"
        assert server.handshakes == 2
        for refusing in (system, other):
            with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer certificate"):
                await _greeting(server.port, refusing)
        with pytest.raises(ssl.SSLCertVerificationError, match="[Hh]ostname mismatch"):
            await _greeting(server.port, ours, server_hostname="kafka.example.org")
        assert server.handshakes == 2

    asyncio.run(_with_server(pki, body))


def test_mutual_tls_presents_the_client_certificate(pki: Pki) -> None:
    mutual = ssl_context(settings(security_protocol="SSL", ssl_cafile=str(pki.ca), ssl_certfile=str(pki.client_cert),
                                  ssl_keyfile=str(pki.client_key)))  # fmt: skip
    server_only = ssl_context(settings(security_protocol="SSL", ssl_cafile=str(pki.ca)))
    assert mutual is not None and server_only is not None

    async def body(server: TlsServer) -> None:
        assert await _greeting(server.port, mutual) == b"hello tollwatch-client\n"
        try:  # TLS 1.3: the server's refusal arrives after the client's handshake, at the first read
            greeting = await _greeting(server.port, server_only)
        except (ssl.SSLError, ConnectionError):
            greeting = b""
        assert not greeting.startswith(b"hello")
        assert server.handshakes == 1

    asyncio.run(_with_server(pki, body, require_client_cert=True))


def test_encrypted_client_key_needs_its_password(pki: Pki) -> None:
    base = {"security_protocol": "SSL", "ssl_cafile": str(pki.ca), "ssl_certfile": str(pki.client_cert),
            "ssl_keyfile": str(pki.client_key_encrypted)}  # fmt: skip
    assert ssl_context(settings(**base, ssl_key_password=KEY_PASSWORD)) is not None
    for wrong in ({}, {"ssl_key_password": "not-" + KEY_PASSWORD}):  # no terminal prompt either way
        with pytest.raises(SecurityError, match="TOLLWATCH_SSL_KEY_PASSWORD") as info:
            ssl_context(settings(**base, **wrong))
        assert KEY_PASSWORD not in str(info.value)


def test_missing_or_bad_files_name_the_setting(pki: Pki, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    cases = [
        ({"ssl_cafile": str(missing)}, r"ssl_cafile \(TOLLWATCH_SSL_CAFILE\): .*missing.pem: no such file"),
        ({"ssl_cafile": str(tmp_path)}, r"ssl_cafile \(TOLLWATCH_SSL_CAFILE\): .*: is a directory"),
        ({"ssl_cafile": str(garbage)}, r"ssl_cafile \(TOLLWATCH_SSL_CAFILE\): .*garbage.pem: not a PEM CA"),
        ({"ssl_certfile": str(missing), "ssl_keyfile": str(pki.client_key)}, r"ssl_certfile .*: no such file"),
        ({"ssl_certfile": str(pki.client_cert), "ssl_keyfile": str(missing)}, r"ssl_keyfile .*: no such file"),
        ({"ssl_certfile": str(pki.client_cert), "ssl_keyfile": str(pki.server_key)}, r"cannot load the client"),
        ({"ssl_certfile": str(garbage), "ssl_keyfile": str(pki.client_key)}, r"cannot load the client"),
    ]
    for fields, message in cases:
        with pytest.raises(SecurityError, match=message):
            ssl_context(settings(security_protocol="SSL", **fields))


def test_unreadable_cafile_names_the_setting(pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's refusal is simulated (CI runs as root, who reads any file)."""
    locked = tmp_path / "ca.pem"
    shutil.copy(pki.ca, locked)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(SecurityError, match=r"TOLLWATCH_SSL_CAFILE.*not readable"):
        ssl_context(settings(security_protocol="SSL", ssl_cafile=str(locked)))


# -- inconsistent settings (streams/config.py's validator)


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN", "sasl_username": "alice"}, "sasl_password"),
        ({"security_protocol": "SASL_PLAINTEXT", "sasl_username": "alice", "sasl_password": PASSWORD},
         "sasl_mechanism"),
        ({"sasl_mechanism": "PLAIN"}, "security_protocol"),
        ({"security_protocol": "SSL", "ssl_certfile": "/c.pem"}, "ssl_keyfile"),
        ({"security_protocol": "SSL", "ssl_keyfile": "/k.pem"}, "ssl_certfile"),
        ({"security_protocol": "TLS"}, "security_protocol"),
        ({"ssl_cafile": "/ca.pem"}, "not be encrypted"),  # TLS files given, but a plaintext connection
        ({"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN", "sasl_username": "a", "sasl_password": "b",
          "ssl_cafile": "/ca.pem"}, "not be encrypted"),
        ({"security_protocol": "SASL_SSL", "sasl_mechanism": "GSSAPI", "sasl_username": "a", "sasl_password": "b"},
         "sasl_mechanism"),
    ],
)  # fmt: skip
def test_inconsistent_settings_are_refused_naming_the_setting(fields: dict[str, str], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        settings(**fields)


def test_settings_errors_on_the_command_line_do_not_show_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pydantic's own message repeats the input (TOLLWATCH_SSL_KEY_PASSWORD included); the CLI's does not."""
    monkeypatch.setenv("TOLLWATCH_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("TOLLWATCH_SSL_CERTFILE", "/c.pem")
    monkeypatch.setenv("TOLLWATCH_SSL_KEY_PASSWORD", KEY_PASSWORD)
    monkeypatch.setenv("TOLLWATCH_SASL_PASSWORD", PASSWORD)
    assert main(["produce", str(ROOT / "seeds"), "--broker", "127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "invalid settings" in err and "ssl_keyfile" in err
    assert KEY_PASSWORD not in err and PASSWORD not in err
    assert KEY_PASSWORD[-6:] not in err and PASSWORD[-6:] not in err


# -- credentials in the broker URL


@pytest.mark.parametrize(
    "url",
    ["kafka://alice:secret@127.0.0.1:9092", "alice:secret@127.0.0.1:9092", "kafka://alice@127.0.0.1:9092",
     "kafka://127.0.0.1:9092;kafka://alice:secret@127.0.0.2:9092", "127.0.0.1:9092,alice:secret@127.0.0.2:9092"],
)  # fmt: skip
def test_broker_url_with_credentials_is_refused(url: str) -> None:
    with pytest.raises(SecurityError, match="must not embed credentials") as info:
        check_broker_url(url)
    assert "secret" not in str(info.value)
    s = settings(broker=url)
    for build in (create_app, client_kwargs, faust_credentials):
        with pytest.raises(SecurityError, match=r"broker \(TOLLWATCH_BROKER\) must not embed credentials"):
            build(s)
    with pytest.raises(SecurityError, match="bootstrap"):
        asyncio.run(kafka_io.produce(url.removeprefix("kafka://"), "t", []))


@pytest.mark.parametrize("url", ["kafka://127.0.0.1:9092", "127.0.0.1:9092", "kafka://[::1]:9092",
                                 "kafka://a:1;kafka://b:2", "a:1,b:2", "kafka://broker.example.org:9093"])  # fmt: skip
def test_plain_broker_urls_pass(url: str) -> None:
    assert check_broker_url(url) == url


# -- client_kwargs and faust_credentials for each protocol and mechanism


def test_client_kwargs_plaintext() -> None:
    assert client_kwargs(settings()) == {"security_protocol": "PLAINTEXT", "ssl_context": None}


def test_client_kwargs_ssl(pki: Pki) -> None:
    kwargs = client_kwargs(settings(security_protocol="SSL", ssl_cafile=str(pki.ca)))
    assert set(kwargs) == {"security_protocol", "ssl_context"}
    assert kwargs["security_protocol"] == "SSL"
    assert isinstance(kwargs["ssl_context"], ssl.SSLContext)


@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_client_kwargs_sasl(protocol: str, mechanism: str) -> None:
    kwargs = client_kwargs(sasl(protocol, mechanism))
    context = kwargs.pop("ssl_context")
    assert kwargs == {"security_protocol": protocol, "sasl_mechanism": mechanism, "sasl_plain_username": "alice",
                      "sasl_plain_password": PASSWORD}  # fmt: skip
    assert isinstance(context, ssl.SSLContext) if protocol == "SASL_SSL" else context is None
    assert PASSWORD not in repr(client_kwargs(sasl(protocol, mechanism)))
    assert PASSWORD not in str(client_kwargs(sasl(protocol, mechanism)))


ALL_SETTINGS = [
    ("PLAINTEXT", None),
    ("SSL", None),
    *[(protocol, mechanism) for protocol in ("SASL_PLAINTEXT", "SASL_SSL") for mechanism in MECHANISMS],
]


def _settings_for(protocol: str, mechanism: str | None) -> Settings:
    return sasl(protocol, mechanism) if mechanism else settings(security_protocol=protocol)


@pytest.mark.parametrize(("protocol", "mechanism"), ALL_SETTINGS)
def test_aiokafka_clients_accept_the_kwargs(protocol: str, mechanism: str | None) -> None:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
    from aiokafka.admin import AIOKafkaAdminClient

    kwargs = client_kwargs(_settings_for(protocol, mechanism))

    async def build() -> None:  # constructing validates the arguments; nothing connects
        producer = AIOKafkaProducer(bootstrap_servers="127.0.0.1:9", **kwargs)
        consumer = AIOKafkaConsumer(bootstrap_servers="127.0.0.1:9", **kwargs)
        admin = AIOKafkaAdminClient(bootstrap_servers="127.0.0.1:9", **kwargs)
        for client in (producer.client, consumer._client, admin._client):  # noqa: SLF001
            assert client._security_protocol == protocol  # noqa: SLF001
            assert client._ssl_context is kwargs["ssl_context"]  # noqa: SLF001
            assert client._sasl_mechanism == (mechanism or "PLAIN")  # noqa: SLF001
            assert client._sasl_plain_password == (PASSWORD if mechanism else None)  # noqa: SLF001
        await producer.stop()
        await consumer.stop()
        await admin.close()

    asyncio.run(build())


@pytest.mark.parametrize(("protocol", "mechanism"), ALL_SETTINGS)
def test_faust_credentials_give_faust_the_same_connection(protocol: str, mechanism: str | None) -> None:
    """What Faust's aiokafka driver makes of our credentials equals what our own clients get."""
    import faust
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    s = _settings_for(protocol, mechanism)
    credentials = faust_credentials(s)
    expected_type = {"PLAINTEXT": type(None), "SSL": faust.SSLCredentials}.get(protocol, faust.SASLCredentials)
    assert type(credentials) is expected_type
    faust_side = dict(credentials_to_aiokafka_auth(credentials))
    ours = client_kwargs(s)
    assert type(faust_side.pop("ssl_context", None)) is type(ours.pop("ssl_context"))
    assert faust_side == ours
    if credentials is not None:
        assert PASSWORD not in repr(credentials)


def test_create_app_uses_the_credentials(pki: Pki) -> None:
    app = create_app(sasl("SASL_SSL", "SCRAM-SHA-512", ssl_cafile=str(pki.ca)))
    credentials = app.conf.broker_credentials
    assert credentials.protocol.value == "SASL_SSL"
    assert credentials.mechanism.value == "SCRAM-SHA-512"
    assert isinstance(credentials.ssl_context, ssl.SSLContext)
    assert create_app(settings()).conf.broker_credentials is None


# -- kafka_io: every helper passes the security to every client it builds


class _Started(Exception):
    pass


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def fake(name: str) -> type:
        class Client:
            def __init__(self, **kwargs: Any) -> None:
                calls.append((name, kwargs))

            async def start(self) -> None:
                raise _Started

            async def stop(self) -> None:  # produce stops a producer whose start failed (no unclosed client)
                pass

        return Client

    for name in ("AIOKafkaProducer", "AIOKafkaConsumer", "AIOKafkaAdminClient"):
        monkeypatch.setattr(kafka_io, name, fake(name))
    yield calls


def _run_every_helper(s: Settings | None, create_with: Settings) -> None:
    calls = [
        kafka_io.create_topics("127.0.0.1:9", create_with),
        kafka_io.produce("127.0.0.1:9", "t", [], settings=s) if s else kafka_io.produce("127.0.0.1:9", "t", []),
        kafka_io.read_topic("127.0.0.1:9", "t", settings=s) if s else kafka_io.read_topic("127.0.0.1:9", "t"),
        kafka_io.group_lag("127.0.0.1:9", "g", ["t"], settings=s) if s else kafka_io.group_lag("127.0.0.1:9", "g", []),
    ]
    for call in calls:
        with pytest.raises(_Started):
            asyncio.run(call)


def test_kafka_io_helpers_pass_the_security(recorded: list[tuple[str, dict[str, Any]]]) -> None:
    s = sasl("SASL_SSL", "SCRAM-SHA-256")
    _run_every_helper(s, s)
    assert [name for name, _ in recorded] == ["AIOKafkaAdminClient", "AIOKafkaProducer", "AIOKafkaConsumer",
                                              "AIOKafkaConsumer"]  # fmt: skip
    for _, kwargs in recorded:
        assert kwargs["security_protocol"] == "SASL_SSL"
        assert kwargs["sasl_mechanism"] == "SCRAM-SHA-256"
        assert kwargs["sasl_plain_username"] == "alice"
        assert kwargs["sasl_plain_password"] == PASSWORD
        assert isinstance(kwargs["ssl_context"], ssl.SSLContext)


def test_kafka_io_helpers_without_settings_are_unchanged(recorded: list[tuple[str, dict[str, Any]]]) -> None:
    _run_every_helper(None, settings())
    assert len(recorded) == 4
    produced, read, lag = (kwargs for _, kwargs in recorded[1:])
    for kwargs in (produced, read, lag):
        assert not {"security_protocol", "ssl_context", "sasl_mechanism", "sasl_plain_password"} & set(kwargs)
    assert recorded[0][1]["security_protocol"] == "PLAINTEXT"  # create_topics: its settings, PLAINTEXT by default


def test_aiokafka_connects_through_tls_with_our_context(pki: Pki) -> None:
    """A real aiokafka client with client_kwargs completes the TLS handshake with the configured CA only
    (the server then hangs up, so the client fails after it: no Kafka here)."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaConnectionError

    async def attempt(port: int, s: Settings) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=5000,
                                    **client_kwargs(s))  # fmt: skip
        try:
            with pytest.raises(KafkaConnectionError):
                await asyncio.wait_for(admin.start(), 15)
        finally:
            await admin.close()

    async def body(server: TlsServer) -> None:
        await attempt(server.port, settings(security_protocol="SSL"))  # system CAs: handshake refused
        assert server.handshakes == 0
        await attempt(server.port, settings(security_protocol="SSL", ssl_cafile=str(pki.ca)))
        assert server.handshakes >= 1

    asyncio.run(_with_server(pki, body))


# -- secrets from the environment appear nowhere


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch, pki: Pki) -> dict[str, str]:
    env = {
        "TOLLWATCH_SECURITY_PROTOCOL": "SASL_SSL",
        "TOLLWATCH_SASL_MECHANISM": "SCRAM-SHA-512",
        "TOLLWATCH_SASL_USERNAME": "alice",
        "TOLLWATCH_SASL_PASSWORD": PASSWORD,
        "TOLLWATCH_SSL_CAFILE": str(pki.ca),
        "TOLLWATCH_SSL_CERTFILE": str(pki.client_cert),
        "TOLLWATCH_SSL_KEYFILE": str(pki.client_key_encrypted),
        "TOLLWATCH_SSL_KEY_PASSWORD": KEY_PASSWORD,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _assert_no_secret(text: str) -> None:
    assert PASSWORD not in text
    assert KEY_PASSWORD not in text


def test_settings_from_the_environment_never_show_secrets(secret_env: dict[str, str]) -> None:
    s = Settings()
    assert s.sasl_password is not None and s.sasl_password.get_secret_value() == PASSWORD
    assert s.ssl_key_password is not None and s.ssl_key_password.get_secret_value() == KEY_PASSWORD
    for text in (repr(s), str(s), s.model_dump_json(), str(s.model_dump()), repr(s.model_dump(mode="json"))):
        _assert_no_secret(text)


def test_faust_app_config_never_shows_secrets(secret_env: dict[str, str]) -> None:
    app = create_app(Settings())
    assert app.conf.broker_credentials.password == PASSWORD  # handed to Faust, but...
    _assert_no_secret(repr(app.conf))
    _assert_no_secret(repr(app.conf.broker_credentials))
    _assert_no_secret(repr(app))
    for name in app.conf.setting_names():  # ...no setting's repr shows it
        _assert_no_secret(repr(getattr(app.conf, name)))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _run_worker(env: dict[str, str], tmp_path: Path, seconds: float = 3.0) -> tuple[str, int | None]:
    """Run `tollwatch worker` for up to `seconds` (then kill it by its PID); its output and exit code."""
    log = tmp_path / "worker.log"
    full = {**os.environ, **env, "TOLLWATCH_METRICS_PORT": "0", "TOLLWATCH_WEB_PORT": str(_closed_port()),
            "TOLLWATCH_DATA_DIR": str(tmp_path / "data"), "TOLLWATCH_LOGLEVEL": "debug"}  # fmt: skip
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], cwd=ROOT, env=full,  # noqa: S603
                                  stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + seconds
        while worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        code = worker.poll()
        if code is None:
            os.kill(worker.pid, 9)
        worker.wait(10)
    return log.read_text(errors="replace"), code


def test_worker_start_logs_no_secrets(secret_env: dict[str, str], tmp_path: Path) -> None:
    env = {**secret_env, "TOLLWATCH_BROKER": f"kafka://127.0.0.1:{_closed_port()}"}
    output, _ = _run_worker(env, tmp_path)
    assert "Starting" in output  # the worker did start (and tried the broker) before it was stopped
    assert "Attempting to bootstrap" in output or "Unable connect" in output
    _assert_no_secret(output)


def test_worker_refuses_a_broker_url_with_credentials(secret_env: dict[str, str], tmp_path: Path) -> None:
    env = {**secret_env, "TOLLWATCH_BROKER": f"kafka://alice:{PASSWORD}@127.0.0.1:{_closed_port()}"}
    output, code = _run_worker(env, tmp_path, seconds=20)
    assert code == 2
    assert "must not embed credentials" in output
    _assert_no_secret(output)
