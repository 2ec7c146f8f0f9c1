"""Hostile messages for `articles.raw`: every case of tests/test_hostile.py, mixed with
valid articles that report real attacks, for pushing through the real worker.

    from bench.fuzz import hostile_messages, CASES
    for case, key, value in hostile_messages(10_000, seed=1):
        ...  # CASES[case] is the outcome the worker must record: ("deadlettered", "schema"), ...

Deterministic for a seed (and `count`, `huge`, `limits`). About 15% are valid articles; the
rest spread over the hostile cases, the oversized ones rarer so the whole set stays small:
each `message_too_large` message is just over `limits.max_message_bytes` (1 MiB by default)
and each `body_too_large` one just over `limits.max_body_chars`. When `count` is at least
1,000, `huge` of the messages (2 by default) are 20 MB. A broker or producer that refuses
messages over 1 MB (Kafka's default `message.max.bytes`, aiokafka's `max_request_size`)
needs those raised for these to reach the worker, or a worker with a smaller
`TOLLWATCH_MAX_MESSAGE_BYTES` and the same `limits` here.

Every article-shaped message has its own id (`fuzz-<seed>-<index>`), so none is a duplicate;
valid ones are published from January 2024 to May 2025, in range for any clock after that.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from schemas.deadletter import DeadLetterReason, OutcomeKind
from streams.limits import DEFAULT_LIMITS, Limits

__all__ = ["CASES", "Expected", "HUGE_BYTES", "hostile_messages"]

#: What the worker must record for a case: its outcome, and a dead letter's reason.
Expected = tuple[OutcomeKind, DeadLetterReason | None]

CASES: dict[str, Expected] = {
    "valid": ("cleaned", None),
    "invalid_utf8": ("deadlettered", "invalid_utf8"),
    "invalid_json": ("deadlettered", "invalid_json"),
    "wrong_types": ("deadlettered", "schema"),
    "missing_fields": ("deadlettered", "schema"),
    "deep_nesting": ("deadlettered", "invalid_json"),
    "message_too_large": ("deadlettered", "message_too_large"),
    "huge_20mb": ("deadlettered", "message_too_large"),
    "body_too_large": ("deadlettered", "body_too_large"),
    "empty_body": ("deadlettered", "empty_body"),
    "binary_body": ("deadlettered", "empty_body"),
    "control_chars": ("cleaned", None),
    "html_script": ("cleaned", None),
    "absurd_number": ("cleaned", None),
    "negative_toll": ("cleaned", None),
    "in_text_dates": ("cleaned", None),
    "published_1900": ("deadlettered", "date_out_of_range"),
    "published_2100": ("deadlettered", "date_out_of_range"),
    "non_english": ("skipped", None),
}
#: Share of each case in the mix (`huge_20mb` is placed apart, see `hostile_messages`).
_WEIGHTS: dict[str, float] = {
    "valid": 15.0, "message_too_large": 0.5, "body_too_large": 1.0,
    **{case: 83.5 / 15 for case in CASES if case not in ("valid", "message_too_large", "body_too_large", "huge_20mb")},
}  # fmt: skip
HUGE_BYTES = 20 * 1024 * 1024
_HUGE_FROM = 1000  # no 20 MB message in a smaller set

_PLACES = ("Mopti", "Gao", "Kidal", "Ménaka", "Timbuktu", "Ségou", "Bankass", "Koro", "Ansongo", "Niono", "Djibo",
           "Dori", "Ouahigouya", "Kaya", "Arbinda", "Tillabéri", "Diffa")  # fmt: skip
_ACTORS = ("Gunmen", "Suspected jihadists", "JNIM fighters", "Armed men on motorbikes", "Unidentified attackers")
_VICTIMS = ("civilians", "soldiers", "villagers", "herders", "gendarmes", "traders")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x80")
_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))]
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069", "\u00ad", "\ufeff", "\u2060", "\U000e0041"]  # fmt: skip
_FRENCH = (
    "Des hommes armés ont tué {n} civils dans le village de {place} dimanche, selon des sources locales. "
    "Les assaillants sont arrivés à moto et ont incendié des maisons et des greniers."
)


def _published(rng: random.Random) -> str:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return (start + timedelta(minutes=rng.randint(0, 500 * 24 * 60))).isoformat()


def _report(rng: random.Random) -> str:
    """A real casualty report: an attack with a toll, a place and a day."""
    n, place, day = rng.randint(1, 120), rng.choice(_PLACES), rng.choice(_WEEKDAYS)
    victims, actor = rng.choice(_VICTIMS), rng.choice(_ACTORS)
    first = rng.choice(
        (
            f"{actor} killed {n} {victims} in {place} on {day}, local sources said.",
            f"At least {n} {victims} were killed when {actor.lower()} attacked {place} on {day}.",
            f"An attack on {place} on {day} left {n} {victims} dead, officials said.",
        )
    )
    more = rng.choice(("", f" {rng.randint(1, 30)} others were wounded.", " The army said it sent reinforcements."))
    return first + more + " The attack was the latest in a wave of violence in the region."


def _article(index: int, seed: int, rng: random.Random, body: Any, **fields: Any) -> dict[str, Any]:
    article = {"id": f"fuzz-{seed}-{index}", "source": "Fuzz Wire", "published_at": _published(rng), "body": body}
    article.update(fields)
    return article


def _sprinkle(rng: random.Random, text: str, chars: list[str], share: float) -> str:
    return "".join(ch + (rng.choice(chars) if rng.random() < share else "") for ch in text)


def _value(case: str, index: int, seed: int, rng: random.Random, limits: Limits) -> bytes:
    """One message of `case` (not `huge_20mb`)."""
    if case == "valid":
        return orjson.dumps(_article(index, seed, rng, _report(rng)))
    if case == "invalid_utf8":
        value = orjson.dumps(_article(index, seed, rng, _report(rng)))
        at = rng.randint(0, len(value))
        return value[:at] + rng.choice(_INVALID_UTF8) + value[at:]
    if case == "invalid_json":
        ascii_article = orjson.dumps(_article(index, seed, rng, _report(rng).encode("ascii", "ignore").decode()))
        return rng.choice(
            (
                ascii_article[: rng.randint(0, len(ascii_article) - 1)],  # truncated
                ascii_article.replace(b'"', b"'"),
                ascii_article[:-1] + b",}",
                ascii_article.replace(b'"body":', b"body:"),
                b'{"body": NaN, "published_at": "2025-01-01T00:00:00Z"}',
                b'{"body": "\\ud800", "published_at": "2025-01-01T00:00:00Z"}',
                b"",
                b"}{",
            )
        )
    if case == "wrong_types":
        body = _report(rng)
        return orjson.dumps(
            rng.choice(
                (
                    _article(index, seed, rng, rng.randint(-(2**40), 2**40)),
                    _article(index, seed, rng, [body]),
                    _article(index, seed, rng, None),
                    _article(index, seed, rng, {"text": body}),
                    _article(index, seed, rng, body, published_at=[_published(rng)]),
                    _article(index, seed, rng, body, published_at="last Sunday"),
                    _article(index, seed, rng, body, published_at=_published(rng)[:19]),  # no timezone
                    _article(index, seed, rng, body, title=rng.randint(0, 99)),
                    _article(index, seed, rng, body, id=""),
                    _article(index, seed, rng, body, unexpected=True),
                    [body, _published(rng)],
                    body,
                    rng.randint(0, 10**6),
                )
            )
        )
    if case == "missing_fields":
        article = _article(index, seed, rng, _report(rng))
        for name in rng.choice((("body",), ("published_at",), ("body", "published_at"))):
            del article[name]
        return orjson.dumps(article)
    if case == "deep_nesting":
        depth = rng.randint(1_100, min(100_000, limits.max_message_bytes // 2 - 100))
        if rng.random() < 0.5:
            return b"[" * depth
        return b'{"body": ' + b"[" * depth + b"]" * depth + b', "published_at": "2025-01-01T00:00:00Z"}'
    if case == "message_too_large":
        head = orjson.dumps(_article(index, seed, rng, ""))[:-2]  # ... "body":"
        filler = _report(rng) + " "
        size = limits.max_message_bytes + rng.randint(1, 4096)
        payload = (filler * (size // len(filler) + 1)).encode()
        return (head + payload)[: size - 2] + b'"}'
    if case == "body_too_large":
        filler = _report(rng) + " "
        chars = limits.max_body_chars + rng.randint(1, 4096)
        return orjson.dumps(_article(index, seed, rng, (filler * (chars // len(filler) + 1))[:chars]))
    if case == "empty_body":
        body = rng.choice(("   ", "\n\n\t", "<p></p><br/>", "<script>alert(1)</script>", "**", "<!-- nothing -->"))
        return orjson.dumps(_article(index, seed, rng, body))
    if case == "binary_body":
        body = "".join(rng.choice(_CONTROLS + _INVISIBLE) for _ in range(rng.randint(1, 400)))
        return orjson.dumps(_article(index, seed, rng, body))
    if case == "control_chars":
        body = _sprinkle(rng, _report(rng), _CONTROLS + _INVISIBLE + ["\r", "\u2028", "\x1b[31m"], 0.05)
        title = _sprinkle(rng, "Attack in the Sahel", _CONTROLS, 0.2)
        return orjson.dumps(_article(index, seed, rng, body, title=title))
    if case == "html_script":
        report = _report(rng)
        body = rng.choice(
            (
                f"<html><head><script>var t = '{rng.randint(1, 99)} killed';</script><style>p {{color: red}}</style>"
                f"</head><body><p onclick='alert(1)'>{report}</p><img src=x onerror=alert(1)></body></html>",
                f"<p>{report}</p><a href='javascript:alert(document.cookie)'>more</a><script>steal()",
                f"&lt;script&gt;alert(1)&lt;/script&gt;{report}<!-- <p>hidden 99 killed</p> -->",
                f"<iframe src='javascript:alert(1)'>x</iframe><div>{report}</div><svg><script>x()</script></svg>",
            )
        )
        url = rng.choice(("javascript:alert(1)", "https://x.org/a"))
        return orjson.dumps(_article(index, seed, rng, body, url=url))
    if case == "absurd_number":
        figure = rng.choice(("999999999999", "5,000,001", "9" * rng.randint(16, 5000), f"{rng.randint(5001, 10**9):,}"))
        body = f"{figure} {rng.choice(_VICTIMS)} were killed in {rng.choice(_PLACES)} on {rng.choice(_WEEKDAYS)}."
        return orjson.dumps(_article(index, seed, rng, body + (" " + _report(rng) if rng.random() < 0.5 else "")))
    if case == "negative_toll":
        n, place = rng.randint(1, 500), rng.choice(_PLACES)
        body = rng.choice(
            (f"-{n} killed in {place} on Sunday.", f"\u2212{n} people were killed in {place}.",
             f"Gunmen killed -{n} soldiers in {place} on Monday.")
        )  # fmt: skip
        return orjson.dumps(_article(index, seed, rng, body))
    if case == "in_text_dates":
        when = rng.choice(("on 3 March 1900", "in March 2099", "on 2099-01-01", "in 2100", "in June 1850"))
        body = f"Gunmen killed {rng.randint(1, 80)} {rng.choice(_VICTIMS)} in {rng.choice(_PLACES)} {when}."
        return orjson.dumps(_article(index, seed, rng, body))
    if case == "published_1900":
        day = datetime(rng.randint(1800, 1989), rng.randint(1, 12), rng.randint(1, 28), tzinfo=UTC)
        return orjson.dumps(_article(index, seed, rng, _report(rng), published_at=day.isoformat()))
    if case == "published_2100":
        day = datetime(rng.randint(2100, 9999), rng.randint(1, 12), rng.randint(1, 28), tzinfo=UTC)
        return orjson.dumps(_article(index, seed, rng, _report(rng), published_at=day.isoformat()))
    if case == "non_english":
        body = _FRENCH.format(n=rng.randint(2, 40), place=rng.choice(_PLACES))
        return orjson.dumps(_article(index, seed, rng, body))
    raise ValueError(f"unknown case {case!r}")


def _huge(index: int, seed: int) -> bytes:
    head = b'{"id": "fuzz-%d-%d", "published_at": "2025-01-01T00:00:00Z", "body": "' % (seed, index)
    return head + b"Gunmen killed 12 villagers in Mopti. " * ((HUGE_BYTES - len(head)) // 37 + 1) + b'"}'


def hostile_messages(
    count: int, seed: int, huge: int = 2, limits: Limits = DEFAULT_LIMITS, extracted_share: float | None = None
) -> list[tuple[str, bytes | None, bytes]]:
    """`count` (case, key, value) messages for `articles.raw`; `CASES[case]` is the outcome
    the worker must record. `huge` 20 MB messages are among them when `count` >= 1,000.
    `extracted_share` (default: about 0.43) is the share of cases that get through the clean
    stage to extraction and the events stage."""
    rng = random.Random(seed)
    cases = list(_WEIGHTS)
    weights = [_WEIGHTS[c] for c in cases]
    if extracted_share is not None:
        through = [i for i, c in enumerate(cases) if CASES[c][0] == "cleaned"]
        total, inside = sum(weights), sum(weights[i] for i in through)
        for i in range(len(cases)):
            share = extracted_share if i in through else 1 - extracted_share
            weights[i] *= share * total / (inside if i in through else total - inside)
    body_fits = limits.max_body_chars + 4096 + 2000 < limits.max_message_bytes
    if not body_fits:  # a body over the limit would be a message over the limit
        weights[cases.index("body_too_large")] = 0.0
    huge_at = set(rng.sample(range(count), min(huge, count))) if count >= _HUGE_FROM else set()
    out: list[tuple[str, bytes | None, bytes]] = []
    for index in range(count):
        if index in huge_at:
            out.append(("huge_20mb", f"fuzz-{seed}-{index}".encode(), _huge(index, seed)))
            continue
        case = rng.choices(cases, weights)[0]
        value = _value(case, index, seed, rng, limits)
        decodes = CASES[case][1] not in ("invalid_utf8", "invalid_json", "schema", "message_too_large")
        key = f"fuzz-{seed}-{index}".encode() if decodes or rng.random() < 0.7 else None
        out.append((case, key, value))
    return out
