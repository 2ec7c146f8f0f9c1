"""The extract agent's stage on message values, inline and in a pool of processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson

from schemas import CleanArticle, ExtractedArticle, RawRef, decode, encode
from streams.clean import clean, decode_raw
from streams.extract import extract
from streams.offload import Extracted, ExtractPool, Failed, extract_values
from tests.conftest import ROOT, SEEDS

NOW = time.time()


def clean_values() -> list[bytes]:
    """`articles.clean` values: the seeds and the many-outlets stream."""
    lines = [p.read_bytes() for p in sorted(SEEDS.glob("*.json"))]
    lines += (ROOT / "tests" / "data" / "bankass_stream.jsonl").read_bytes().splitlines()
    out = []
    for offset, line in enumerate(lines):
        result = clean(decode_raw(line), RawRef(partition=0, offset=offset), NOW, NOW)
        if isinstance(result, CleanArticle):
            out.append(encode(result))
    return out


def without_timing(value: bytes) -> dict[str, object]:
    body = orjson.loads(value)
    body["timing"].pop("extracted", None)
    return dict(body)


def test_extract_values_gives_the_copies_extract_gives_and_fails_one_value_alone() -> None:
    values = clean_values()
    mixed = [values[0], b"{not json", orjson.dumps({"article_id": "x"}), *values[1:]]
    results = extract_values(mixed)
    assert [type(r) for r in results] == [Extracted, Failed, Failed] + [Extracted] * (len(values) - 1)
    assert "ValidationError" in results[1].detail and "Traceback" in results[1].trace  # type: ignore[union-attr]
    done = [r for r in results if isinstance(r, Extracted)]
    for value, result in zip(values, done, strict=True):
        article = CleanArticle.model_validate_json(value)
        expected = extract(article, NOW)
        assert [key for key, _ in result.copies] == [c.route.encode() for c in expected]
        assert [without_timing(v) for _, v in result.copies] == [without_timing(encode(c)) for c in expected]
        assert all(isinstance(decode(ExtractedArticle, v), ExtractedArticle) for _, v in result.copies)
        assert result.day == article.published_at.date()
        assert result.mentions == [(m.kind, m.scope) for m in expected[0].casualties]
    assert sum(len(r.mentions) for r in done) > 10


def test_the_pool_gives_the_inline_results_in_order_and_survives_a_killed_child() -> None:
    values = clean_values() * 3
    inline = extract_values(values)

    async def run() -> None:
        pool = ExtractPool(2)
        try:
            pids = await pool.start()
            assert len(set(pids)) == 2 and os.getpid() not in pids
            for batch in (values, values[:1], values[:5]):
                assert _same_but_timing(await pool.extract(batch), inline[: len(batch)])
            os.kill(pids[0], signal.SIGKILL)  # a child dies: the batch is extracted anyway
            got = await pool.extract(values)
            assert _same_but_timing(got, inline)
            again = await pool.start()  # a new pool
            assert not set(again) & set(pids)
            assert _same_but_timing(await pool.extract(values), inline)
        finally:
            pool.close()

    asyncio.run(run())


def _same_but_timing(got: list[Extracted | Failed], expected: list[Extracted | Failed]) -> bool:
    def view(r: Extracted | Failed) -> object:
        return [(k, without_timing(v)) for k, v in r.copies] if isinstance(r, Extracted) else r.detail

    return [view(r) for r in got] == [view(r) for r in expected]


def test_the_children_exit_when_the_worker_is_killed(tmp_path: Path) -> None:
    script = (
        "import asyncio, sys\n"
        "from streams.offload import ExtractPool\n"
        "async def main():\n"
        "    pool = ExtractPool(2)\n"
        "    print(' '.join(map(str, await pool.start())), flush=True)\n"
        "    await asyncio.sleep(600)\n"
        "asyncio.run(main())\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            pids = [int(p) for p in proc.stdout.readline().split()]
            assert len(pids) == 2 and all(Path(f"/proc/{p}").exists() for p in pids)
            proc.kill()  # SIGKILL: no shutdown code runs in the parent
            proc.wait(10)
            deadline = time.monotonic() + 10
            while any(_alive(p) for p in pids) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not any(_alive(p) for p in pids)
        finally:
            if proc.poll() is None:
                proc.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited
