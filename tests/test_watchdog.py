"""The broker watchdog's decisions (streams/watchdog.py), on probe results."""

from __future__ import annotations

from streams.watchdog import BrokerWatch, bootstrap_servers, message


def test_answers_keep_the_worker_running_and_remember_the_highest_end() -> None:
    watch = BrokerWatch(timeout=60, last_seen=0)
    assert watch.observe(5, {0: 10, 1: 3}) == "ok"
    assert watch.observe(10, {0: 12, 1: 3}) == "ok"
    assert watch.ends == {0: 12, 1: 3}


def test_silence_waits_then_gives_up_after_the_timeout_counted_from_the_last_answer() -> None:
    watch = BrokerWatch(timeout=60, last_seen=0)
    assert watch.observe(30, {0: 1}) == "ok"
    assert watch.observe(60, None) == "waiting"
    assert watch.observe(89, None) == "waiting"
    assert watch.observe(95, {0: 1}) == "ok"  # back before the timeout: nothing happened
    assert watch.observe(150, None) == "waiting"
    assert watch.observe(155, None) == "lost"
    assert "no answer from the broker for 60s" in watch.detail


def test_a_broker_that_forgot_its_log_is_told_apart_from_one_that_is_down() -> None:
    watch = BrokerWatch(timeout=60, last_seen=0)
    assert watch.observe(1, {0: 40, 1: 7}) == "ok"
    assert watch.observe(2, {0: 0, 1: 7}) == "rewound"
    assert "partition 0 ends at 0, it ended at 40" in watch.detail
    watch = BrokerWatch(timeout=60, last_seen=0)
    watch.observe(1, {0: 40, 1: 7})
    assert watch.observe(2, {}) == "rewound"  # the topic is gone
    assert "partition 0 is gone" in watch.detail and "partition 1 is gone" in watch.detail


def test_an_empty_topic_at_start_is_not_a_rewind() -> None:
    watch = BrokerWatch(timeout=60, last_seen=0)
    assert watch.observe(1, {}) == "ok"
    assert watch.observe(2, {0: 0, 1: 0}) == "ok"


def test_exit_messages_name_the_broker_the_code_and_the_procedure() -> None:
    lost = message("lost", "127.0.0.1:9092", "articles.raw", "no answer from the broker for 60s")
    assert "127.0.0.1:9092 unreachable" in lost and "code 3" in lost and "Broker restart" in lost
    rewound = message("rewound", "127.0.0.1:9092", "articles.raw", "partition 0 is gone")
    assert "lost the data of articles.raw" in rewound and "code 4" in rewound and "re-send the inputs" in rewound


def test_bootstrap_servers_from_the_faust_broker_setting() -> None:
    assert bootstrap_servers("kafka://a:9092;kafka://b:9093") == ["a:9092", "b:9093"]
    assert bootstrap_servers("kafka://127.0.0.1:9092") == ["127.0.0.1:9092"]
    assert bootstrap_servers("a:1,b:2") == ["a:1", "b:2"]
