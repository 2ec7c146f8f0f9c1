"""Broker connection security from Settings: the TLS context, aiokafka client kwargs, Faust credentials.

Secrets (`sasl_password`, `ssl_key_password`) leave their `SecretStr` only here, at the moment they
are handed to a client; no message of this module contains one, and a broker URL carrying
credentials (`kafka://user:password@host`) is refused because Faust and aiokafka log broker URLs.
"""

from __future__ import annotations

import ssl
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import faust

    from streams.config import Settings

__all__ = ["SecurityError", "check_broker_url", "ssl_context", "client_kwargs", "faust_credentials"]

_REDACTED = "**********"


class SecurityError(ValueError):
    """The security settings cannot be used (a missing file, a wrong key password, a URL with credentials)."""


class _ClientKwargs(dict[str, Any]):
    """aiokafka keyword arguments whose repr() hides the SASL password (in case someone logs them)."""

    def __repr__(self) -> str:
        shown = {k: (_REDACTED if k == "sasl_plain_password" and v is not None else v) for k, v in self.items()}
        return repr(shown)

    __str__ = __repr__


def _env(setting: str) -> str:
    return f"{setting} (TOLLWATCH_{setting.upper()})"


def check_broker_url(url: str, source: str = "broker (TOLLWATCH_BROKER)") -> str:
    """`url` unchanged, or SecurityError if any of its hosts embeds credentials (user:password@host).

    Accepts what Faust and aiokafka accept: `kafka://host:port`, `host:port`, and lists of them
    separated by `;` or `,`. The message never repeats the URL (it would repeat the password).
    """
    for piece in url.replace(";", ",").split(","):
        piece = piece.strip()
        if not piece:
            continue
        netloc = urllib.parse.urlsplit(piece if "://" in piece else f"kafka://{piece}").netloc
        if "@" in netloc:
            raise SecurityError(
                f"{source} must not embed credentials (user:password@host): the broker URL is logged. "
                "Set TOLLWATCH_SECURITY_PROTOCOL, TOLLWATCH_SASL_MECHANISM, TOLLWATCH_SASL_USERNAME and "
                "TOLLWATCH_SASL_PASSWORD instead"
            )
    return url


def _readable(path: str, setting: str) -> str:
    """`path` if it is a readable file, else SecurityError naming the setting."""
    try:
        with Path(path).open("rb"):
            pass
    except FileNotFoundError:
        raise SecurityError(f"{_env(setting)}: {path}: no such file") from None
    except IsADirectoryError:
        raise SecurityError(f"{_env(setting)}: {path}: is a directory, not a file") from None
    except PermissionError:
        raise SecurityError(f"{_env(setting)}: {path}: not readable (permission denied)") from None
    except OSError as exc:
        raise SecurityError(f"{_env(setting)}: {path}: cannot be read ({exc.strerror or exc})") from None
    return path


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A verifying TLS (>= 1.2) client context for SSL and SASL_SSL, None for PLAINTEXT and SASL_PLAINTEXT.

    The broker's certificate is checked against `ssl_cafile` (or the system CAs when unset) and
    its host name; `ssl_certfile` + `ssl_keyfile` (+ `ssl_key_password`) add a client certificate
    for mutual TLS. Raises SecurityError naming the setting when a file is missing, unreadable or
    not what it should be.
    """
    if settings.security_protocol not in ("SSL", "SASL_SSL"):
        return None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)  # system CAs, CERT_REQUIRED, check_hostname
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.ssl_cafile:
        cafile = _readable(settings.ssl_cafile, "ssl_cafile")
        try:
            context.load_verify_locations(cafile=cafile)
        except ssl.SSLError as exc:
            raise SecurityError(
                f"{_env('ssl_cafile')}: {cafile}: not a PEM CA certificate bundle ({exc.reason or exc})"
            ) from None
    if settings.ssl_certfile or settings.ssl_keyfile:
        if not (settings.ssl_certfile and settings.ssl_keyfile):
            raise SecurityError("ssl_certfile and ssl_keyfile go together (mutual TLS)")
        certfile = _readable(settings.ssl_certfile, "ssl_certfile")
        keyfile = _readable(settings.ssl_keyfile, "ssl_keyfile")
        secret = settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else ""

        def password() -> str:  # a callable: OpenSSL never prompts on the terminal for an encrypted key
            return secret

        try:
            context.load_cert_chain(certfile, keyfile, password=password)
        except ssl.SSLError as exc:
            raise SecurityError(
                f"{_env('ssl_certfile')} / {_env('ssl_keyfile')}: cannot load the client certificate and key "
                f"({exc.reason or exc.__class__.__name__}): not PEM, key not matching the certificate, "
                f"or a wrong or missing {_env('ssl_key_password')}"
            ) from None
    return context


def _sasl_password(settings: Settings) -> str:
    return settings.sasl_password.get_secret_value() if settings.sasl_password else ""


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client (AIOKafkaProducer, AIOKafkaConsumer, AIOKafkaAdminClient).

    Always `security_protocol` and `ssl_context` (None without TLS); for SASL_* also `sasl_mechanism`,
    `sasl_plain_username` and `sasl_plain_password` (aiokafka uses the latter two for SCRAM too).
    The returned dict's repr() hides the password.
    """
    check_broker_url(settings.broker)
    kwargs = _ClientKwargs(security_protocol=settings.security_protocol, ssl_context=ssl_context(settings))
    if settings.security_protocol.startswith("SASL_"):
        kwargs["sasl_mechanism"] = settings.sasl_mechanism
        kwargs["sasl_plain_username"] = settings.sasl_username
        kwargs["sasl_plain_password"] = _sasl_password(settings)
    return kwargs


def faust_credentials(settings: Settings) -> faust.SASLCredentials | faust.SSLCredentials | None:
    """Faust's `broker_credentials` for the settings: None for PLAINTEXT, `SSLCredentials` for SSL,
    `SASLCredentials` for SASL_PLAINTEXT and SASL_SSL.

    Faust picks SASL_SSL over SASL_PLAINTEXT by whether the SASLCredentials get an `ssl_context`,
    and hands `mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) to aiokafka as `sasl_mechanism`.
    """
    import faust  # here, not at the top: the aiokafka helpers need this module without Faust's import time

    check_broker_url(settings.broker)
    context = ssl_context(settings)
    credentials: faust.SASLCredentials | faust.SSLCredentials | None
    if settings.security_protocol.startswith("SASL_"):
        credentials = faust.SASLCredentials(
            username=settings.sasl_username,
            password=_sasl_password(settings),
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    elif settings.security_protocol == "SSL":
        credentials = faust.SSLCredentials(context)
    else:
        return None
    if credentials.protocol.value != settings.security_protocol:  # Faust derives it; make sure it agrees
        raise SecurityError(f"Faust would connect with {credentials.protocol.value}, not {settings.security_protocol}")
    return credentials
