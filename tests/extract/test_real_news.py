"""What real multi-outlet reporting does that short notes do not (issue 18), on sentences
written for these tests: one main attack per article, datelines and people that are not
places, recalled and superseded figures, reporting dates, sites that name one attack."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest

from schemas import CasualtyMention, EventCandidate, ExtractedArticle
from streams.cli import main
from streams.events import EventState, Reported, Site, apply_article, cluster, sites_agree
from streams.extract.casualties import read_casualties
from streams.extract.dates import find_dates
from streams.extract.gazetteer import load_gazetteer
from streams.extract.places import is_dateline
from streams.extract.text import sentences
from tests.conftest import article

THURSDAY = "2025-06-05T12:00:00Z"  # the Sunday before is 1 June 2025


def candidates(copies: list[ExtractedArticle]) -> list[EventCandidate]:
    return [c for copy in copies for c in copy.candidates]


def placed(copies: list[ExtractedArticle]) -> list[tuple[str, str | None, int]]:
    return [(c.country, c.admin1, c.killed_best) for c in candidates(copies)]


# -- datelines and names that are not places -----------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["NIAMEY, Niger (AP) - Gunmen", "Bamako, June 3 (Reuters) - Gunmen", "OUAGADOUGOU - The army", "Mopti (AFP) - A"],
)
def test_a_dateline_opens_the_sentence(text: str) -> None:
    name = text.split(",")[0].split(" ")[0]
    assert is_dateline(text, 0, len(name), 0)


@pytest.mark.parametrize("text", ["Bamako is calm", "Mopti, the regional capital, was calm", "Mopti: 20 killed"])
def test_a_place_opening_a_sentence_is_no_dateline(text: str) -> None:
    name = text.split(",")[0].split(" ")[0].rstrip(":")
    assert not is_dateline(text, 0, len(name), 0)


def test_the_dateline_town_is_not_where_the_attack_was() -> None:
    copies = article(
        "NIAMEY, Niger (AP) - Gunmen killed 14 villagers in the Tillabéri region on Sunday, officials said.", THURSDAY
    )
    assert placed(copies) == [("NE", "Tillabéri", 14)]


def test_a_dateline_in_capitals_after_page_clutter() -> None:
    copies = article("Home World Africa updated 2025-06-05 NIAMEY - Gunmen killed 14 villagers in Tillabéri on Sunday.")
    assert placed(copies) == [("NE", "Tillabéri", 14)]


def test_a_surname_is_no_place() -> None:
    copies = article(
        "Gunmen killed nine people in Djibo, Burkina Faso, on Sunday.\n"
        '"We buried nine bodies," Hamidou Kaya told reporters.',
        THURSDAY,
    )
    assert placed(copies) == [("BF", "Sahel", 9)]


def test_an_acronym_in_capitals_is_no_place() -> None:
    copies = article(
        "The Islamic State claimed the attack that killed 20 soldiers in Tillabéri on Sunday, the monitoring group"
        " SITE said.",
        THURSDAY,
    )
    assert {copy.route for copy in copies} == {"NE"}


def test_the_capital_named_as_where_officials_speak_is_not_a_second_attack() -> None:
    copies = article(
        "Gunmen killed 12 villagers in Bankass, Mali, on Sunday.\n"
        "In Bamako, the government said 12 civilians had died.",
        THURSDAY,
    )
    assert placed(copies) == [("ML", "Mopti", 12)]


# -- one main attack per article ------------------------------------------------------------
def test_later_sentences_without_their_own_anchor_are_the_main_attack() -> None:
    copies = article(
        "Jihadists killed 25 soldiers in an attack on a base near Djibo on Sunday.\n"
        "Fifteen of the attackers were also killed, the army said.\n"
        "Residents buried the dead on Monday.",
        THURSDAY,
    )
    assert placed(copies) == [("BF", "Sahel", 40)]


def test_a_weekday_a_day_off_is_the_same_attack() -> None:
    copies = article(
        "Gunmen attacked a village near Djibo on Sunday night, killing 18 people.\n"
        "The 18 victims were killed on Monday before dawn, a resident said.",
        THURSDAY,
    )
    assert placed(copies) == [("BF", "Sahel", 18)]


def test_a_separate_attack_is_its_own_candidate() -> None:
    copies = article(
        "Gunmen killed 10 people in Djibo on Sunday.\nIn a separate attack, four soldiers were killed near Kaya.",
        THURSDAY,
    )
    assert sorted(placed(copies)) == [("BF", "Centre-Nord", 4), ("BF", "Sahel", 10)]


def test_a_further_attack_adds_its_toll() -> None:
    copies = article(
        "Gunmen killed six herders near Djibo on Sunday.\nThe same day, gunmen also attacked a camp near Djibo,"
        " killing three civilians.",
        THURSDAY,
    )
    assert sum(c.killed_best for c in candidates(copies)) == 9


def test_a_recalled_attack_without_a_place_never_takes_the_main_place() -> None:
    copies = article("Gunmen killed 10 people in Djibo on Sunday.\nIn March, an attack killed 30 people.", THURSDAY)
    recalled = [c for c in candidates(copies) if c.killed_best == 30]
    assert recalled and all(c.admin1 is None and c.background for c in recalled)


# -- figures that belong to another attack or another toll -----------------------------------
@pytest.mark.parametrize(
    ("body", "killed"),
    [
        ("Gunmen killed 12 herders near Djibo on Sunday, barely a week after bandits killed 40 villagers nearby.", 12),
        ("Gunmen killed 12 herders near Djibo on Sunday.\nThe attack comes two weeks after a similar raid, which"
         " left 30 soldiers dead.", 12),
        ("Gunmen killed 12 herders near Djibo on Sunday, surpassing an ambush last month that killed 9.", 12),
        ("Gunmen killed 12 herders near Djibo on Sunday.\nIn the massacre at Djibo last April, militiamen killed 80"
         " civilians.", 12),
        ("The toll of Sunday's attack near Djibo rose from 12 to 20 dead.", 20),
        ("Officials initially said 15 were killed in Sunday's attack near Djibo.\nThe toll now stands at 22.", 22),
        ("The government said 22 died near Djibo on Sunday, updating an earlier death toll of 15.", 22),
        ("Gunmen killed 20 near Djibo on Sunday.\nTwo more died in hospital, bringing the toll to 22.", 22),
    ],
)  # fmt: skip
def test_recalled_and_replaced_figures_are_not_counted(body: str, killed: int) -> None:
    main = [c for c in candidates(article(body, THURSDAY)) if c.admin1 == "Sahel" and not c.background]
    assert [c.killed_best for c in main] == [killed]


@pytest.mark.parametrize(
    "sentence",
    [
        "Attacks by armed groups have left more than 2,000 people dead in the region.",
        "More than 600 people have died in repeated jihadist attacks in the country.",
    ],
)
def test_a_conflicts_toll_is_no_attack(sentence: str) -> None:
    assert all(c.killed_best == 0 for c in candidates(article(sentence, THURSDAY)))


# -- dates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["the army said on Wednesday", "Niger on Wednesday said", "as reported on 4 June", "it announced Monday"]
)
def test_when_something_was_said_is_no_event_date(text: str) -> None:
    assert find_dates(text, date(2025, 6, 5)) == []


def test_the_event_date_beside_a_reporting_date_is_kept() -> None:
    found = find_dates("Gunmen killed 20 people on Sunday, the army said on Monday.", date(2025, 6, 5))
    assert [d.day for _, _, d in found] == [date(2025, 6, 1)]


def test_last_weekday_capitalised_is_last_week() -> None:
    found = find_dates("Last Thursday, gunmen killed five.", date(2025, 6, 5))
    assert [d.day for _, _, d in found] == [date(2025, 5, 29)]


# -- sites that name one attack ------------------------------------------------------------
def test_sites_of_one_unit_or_close_by_agree() -> None:
    assert sites_agree(Site("Village A", None, "Ouallam"), Site("Village B", None, "Département de Ouallam"))
    assert sites_agree(Site("Ouallam", None, None), Site("Village B", None, "Ouallam"))
    assert not sites_agree(Site("Village A", None, "Koro"), Site("Village B", None, "Bankass"))
    gaz = load_gazetteer()
    djibo = next(gaz.entries[i].geonameid for i in gaz.by_key["djibo"] if gaz.entries[i].country == "BF")
    kaya = next(gaz.entries[i].geonameid for i in gaz.by_key["kaya"] if gaz.entries[i].country == "BF")
    assert not sites_agree(Site("Djibo", djibo, None), Site("Kaya", kaya, None))


def test_an_override_shares_the_coordinates_of_its_namesake() -> None:
    gaz = load_gazetteer()
    ids = {gaz.entries[i].geonameid for key in ("arbinda", "aribinda") for i in gaz.by_key[key]}
    assert len(ids) == 1 and None not in ids


def _reported(article_id: str, day: date, place: str, killed: int) -> Reported:
    candidate = EventCandidate(
        index=0, country="BF", admin1="Sahel", admin2="Province du Soum", place=place, day=day, precision="day",
        dated=True, killed_low=killed, killed_best=killed, killed_high=killed, toll_given=True,
    )  # fmt: skip
    return Reported(article_id=article_id, published_at=datetime(2025, 6, 5, tzinfo=UTC), candidate=candidate)


def test_reports_two_days_apart_at_sites_of_one_province_are_one_attack() -> None:
    groups = cluster(
        [_reported("a", date(2025, 6, 1), "Village A", 20), _reported("b", date(2025, 6, 3), "Village B", 22)]
    )
    assert len(groups) == 1


def test_reports_a_week_apart_are_two_attacks() -> None:
    groups = cluster(
        [_reported("a", date(2025, 6, 1), "Village A", 20), _reported("b", date(2025, 5, 25), "Village A", 22)]
    )
    assert len(groups) == 2


def test_a_state_merges_them_too() -> None:
    state = EventState()
    for r in (_reported("a", date(2025, 6, 1), "Village A", 20), _reported("b", date(2025, 6, 3), "Village B", 22)):
        copy = article("Gunmen killed 20 people near Djibo on Sunday.", THURSDAY)[0]
        copy = copy.model_copy(update={"article_id": r.article_id, "candidates": [r.candidate]})
        state, _, _ = apply_article(state, copy)
    assert [e.killed_best for e in state.events.values() if e.reports] == [22]


def test_a_scraped_iso_date_is_no_event_date() -> None:
    assert find_dates("published 2025-05-02 Gunmen killed 20 people on Sunday.", date(2025, 6, 5))[0][2].day == date(
        2025, 6, 1
    )
    assert find_dates("updated 2025-05-02", date(2025, 6, 5)) == []


def test_a_whole_then_its_parts_counts_once() -> None:
    copies = article("Eight people, six aid workers and two guides, were killed near Djibo on Sunday.", THURSDAY)
    assert placed(copies) == [("BF", "Sahel", 8)]
    copies = article("One civilian, one soldier and two attackers were killed near Djibo on Sunday.", THURSDAY)
    assert placed(copies) == [("BF", "Sahel", 4)]


def test_a_neighbours_state_names_its_country() -> None:
    copies = article(
        "Herdsmen killed 12 villagers in a community of Benue state on Sunday, near the town of Gabo.", THURSDAY
    )
    assert {c.country for c in candidates(copies)} == {"NG"}


def test_a_place_naming_an_earlier_attack_is_not_this_ones() -> None:
    copies = article(
        "After the Kaya massacre, gunmen killed 15 villagers near Djibo on Sunday, residents said.", THURSDAY
    )
    assert placed(copies) == [("BF", "Sahel", 15)]


def test_a_recalled_attack_joins_its_event_whatever_site_it_names() -> None:
    main = _reported("a", date(2025, 6, 1), "Village A", 20)
    recall = _reported("b", date(2025, 6, 1), "Village far away", 30)
    recall = recall.model_copy(
        update={"candidate": recall.candidate.model_copy(update={"admin2": None, "background": True})}
    )
    other = _reported("c", date(2025, 6, 1), "Village far away", 30)
    other = other.model_copy(update={"candidate": other.candidate.model_copy(update={"admin2": None})})
    assert len(cluster([main, recall])) == 1
    assert (
        len(cluster([main.model_copy(update={"candidate": main.candidate.model_copy(update={"admin2": None})}), other]))
        == 2
    )


def test_last_year_dates_one_attack_but_a_yearly_toll_stays_cumulative() -> None:
    one = candidates(
        article("Soldiers killed at least 300 people in a village near Djibo last year, the UN said.", THURSDAY)
    )
    assert [(c.killed_best, c.precision, c.day.year) for c in one] == [(300, "year", 2024)]
    assert all(
        c.killed_best == 0 for c in candidates(article("More than 4,000 people were killed last year.", THURSDAY))
    )


def test_a_dateline_after_a_pages_timestamp() -> None:
    copies = article("2025-06-05T08:00:00Z Bamako - Gunmen killed 14 villagers in Bankass on Sunday.", THURSDAY)
    assert placed(copies) == [("ML", "Mopti", 14)]


def test_the_wounded_are_not_who_the_killed_refer_back_to() -> None:
    copies = article(
        "Gunmen killed 20 soldiers near Djibo on Sunday.\nTwelve soldiers were wounded.\n"
        "Officers later paid tribute to the soldiers who had been killed.",
        THURSDAY,
    )
    assert [c.killed_best for c in candidates(copies)] == [20]


def test_a_ceremony_for_the_dead_is_no_second_attack() -> None:
    copies = article(
        "Gunmen killed 20 soldiers near Djibo on Sunday.\n"
        "On Friday, ministers met in Ouagadougou to pay tribute to the 20 fallen soldiers who were killed.",
        "2025-06-08T12:00:00Z",
    )
    assert placed(copies) == [("BF", "Sahel", 20)]


def test_who_told_it_is_not_who_died() -> None:
    copies = article("Armed men killed at least 22 civilians near Djibo on Sunday, three sources said.", THURSDAY)
    assert placed(copies) == [("BF", "Sahel", 22)]


def test_a_repeated_sentence_counts_its_victims_once() -> None:
    line = "Armed men killed at least 22 civilians near Djibo on Sunday."
    copies = article(f"Attack near Djibo\n{line} Residents fled.\n{line} The army sent reinforcements.", THURSDAY)
    assert placed(copies) == [("BF", "Sahel", 22)]


def test_a_capital_in_a_later_sentence_does_not_place_the_main_attack() -> None:
    copies = article(
        "Jihadists kill 37 in convoy ambush\nThe convoy was carrying workers to a mine near Fada N'Gourma.\n"
        "In Ouagadougou, the government said 37 workers were killed.",
        THURSDAY,
    )
    assert [c.admin1 for c in candidates(copies)] == ["Est"]


def test_an_armed_groups_home_region_anchors_no_attack_of_its_own() -> None:
    copies = article(
        "Gunmen killed 25 soldiers at an army post near Djibo on Thursday.\n"
        "Boko Haram said in a message that its fighters killed 100 soldiers in the raid.",
        "2025-06-06T12:00:00Z",
    )
    assert {(c.country, c.admin1) for c in candidates(copies)} == {("BF", "Sahel")}


def test_a_revised_toll_keeps_its_victims_and_the_attackers_add() -> None:
    copies = article(
        "The death toll in the attack on the army camp near Djibo on Sunday has risen to 38 soldiers.\n"
        "An earlier death toll given after the attack on the camp put the number of fatalities at 25 troops.\n"
        "Fifteen jihadists were also killed in the raid, the army said.",
        THURSDAY,
    )
    assert placed(copies) == [("BF", "Sahel", 53)]


# -- the article's own attack, and the others it tells ---------------------------------------
def test_other_attacks_an_article_tells_are_asides() -> None:
    copies = article(
        "Gunmen killed 17 villagers near Djibo on Wednesday, officials said.\n"
        "In a separate attack on Tuesday, 40 soldiers were killed in an ambush near Fada N'Gourma.",
        THURSDAY,
    )
    assert [(c.admin1, c.killed_best, c.aside) for c in candidates(copies)] == [("Sahel", 17, False), ("Est", 40, True)]


def test_explain_json_keeps_asides_apart_from_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An attack one article reports and another recalls: one event, its `reports` the
    article about it, its `mentions` the one that tells it beside its own attack."""
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(orjson.dumps(a).decode() for a in [
        {"id": "ambush", "url": "https://news.example/ambush", "published_at": "2025-06-04T10:00:00Z",
         "body": "Jihadists killed 40 soldiers in an ambush near Fada N'Gourma, Burkina Faso, on Tuesday."},
        {"id": "market", "url": "https://news.example/market", "published_at": "2025-06-05T10:00:00Z",
         "body": "Gunmen killed 17 villagers near Djibo, Burkina Faso, on Wednesday, officials said.\n"
                 "In a separate attack on Tuesday, 40 soldiers were killed in an ambush near Fada N'Gourma."},
    ]) + "\n", encoding="utf-8")  # fmt: skip
    assert main(["explain", "BF/Est", "--input", str(path), "--json"]) == 0
    (event,) = orjson.loads(capsys.readouterr().out)["events"]
    assert [r["article_id"] for r in event["reports"]] == ["ambush"]
    assert [(r["article_id"], r["aside"]) for r in event["mentions"]] == [("market", True)]


# -- the article's toll ----------------------------------------------------------------------
def test_the_lead_toll_stands_against_estimates_given_after_it() -> None:
    copies = article(
        "An attack on a village near Djibo at the weekend left 41 dead, the government said on Wednesday.\n"
        "Earlier unofficial counts had given up to 60 dead.\n"
        "A local official gave a first count of between 12 and 25 dead, while residents spoke of as many as 60.",
        THURSDAY,
    )
    assert placed(copies) == [("BF", "Sahel", 41)]


@pytest.mark.parametrize(
    ("body", "killed"),
    [
        ("Dozens were killed near Djibo on Sunday.\nThe government later said 47 people died.", 47),  # a vague lead
        ("Gunmen killed 20 people near Djibo on Sunday.\nThe toll has since risen to 31.", 31),  # revised
        ("Gunmen killed 20 people near Djibo on Sunday.\nEight soldiers and 15 civilians died, officials said.", 23),
    ],
)
def test_a_later_toll_replaces_the_leads_where_it_says_more(body: str, killed: int) -> None:
    assert placed(article(body, THURSDAY)) == [("BF", "Sahel", killed)]


def test_a_speaker_named_before_a_bare_figure_is_not_among_the_dead() -> None:
    from streams.extract.casualties import read_casualties
    from streams.extract.text import sentences

    (s,) = sentences(["The mayor of the commune said the 13 dead were buried on Monday."])
    assert [(m.best, m.victims) for m in read_casualties(s)] == [(13, None)]
    (s,) = sentences(["A security official counted 12 dead, while witnesses spoke of as many as 30 dead."])
    assert {m.victims for m in read_casualties(s)} == {None}


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ('"Our fighters killed 100 soldiers," according to a statement by JNIM.', "claim"),
        ("The raid killed 30 soldiers, according to the group's Amaq agency.", "claim"),
        ("The raid killed 30 soldiers, according to the army.", "event"),
    ],
)
def test_a_figure_an_armed_group_gives_is_its_claim(text: str, scope: str) -> None:
    from streams.extract.casualties import read_casualties
    from streams.extract.text import sentences

    (s,) = sentences([text])
    assert [m.scope for m in read_casualties(s)] == [scope]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Aid groups said six of the nine people killed by the gunmen were volunteers.", 9),
        ("Four of the 25 soldiers were killed in the ambush.", 4),
        ("Six of the nine people were killed.", 6),
    ],
)
def test_a_part_and_its_whole(text: str, killed: int) -> None:
    from streams.extract.casualties import read_casualties
    from streams.extract.text import sentences

    (s,) = sentences([text])
    assert [m.best for m in read_casualties(s) if m.kind == "killed"] == [killed]


# -- dates ------------------------------------------------------------------------------------
def test_the_day_a_massacre_came_to_light_is_not_its_day() -> None:
    found = find_dates("The killings, which came to light on Tuesday, left 30 dead.", date(2025, 6, 5))
    assert found == []
    assert find_dates("The bodies were discovered on Monday.", date(2025, 6, 5)) == []


@pytest.mark.parametrize("words", ["at the weekend", "over the weekend", "last weekend"])
def test_the_weekend_is_its_saturday(words: str) -> None:
    found = find_dates(f"Gunmen killed five people {words}.", date(2025, 6, 5))  # a Thursday
    assert [(d.day, d.precision) for _, _, d in found] == [(date(2025, 5, 31), "day")]


# -- people and departments ------------------------------------------------------------------
def test_a_place_name_opening_a_persons_full_name_is_no_place() -> None:
    copies = article(
        "Gunmen killed 12 people near Djibo on Sunday, according to Kaya Ibrahim Sawadogo, governor of the region.",
        THURSDAY,
    )
    assert {(c.country, c.admin1) for c in candidates(copies)} == {("BF", "Sahel")}


def _gid(name: str, country: str) -> int:
    gaz = load_gazetteer()
    from streams.extract.text import fold_key

    return next(
        gaz.entries[i].geonameid for i in gaz.by_key[fold_key(name)]
        if gaz.entries[i].country == country and gaz.entries[i].level == "place" and gaz.entries[i].geonameid
    )  # fmt: skip


def test_a_department_named_after_its_seat_reaches_its_villages() -> None:
    """Niger's places have no department in the gazetteer: a town that names a department
    stands for it up to `UNIT_KM`, so an outlet naming the department seat and another the
    village 48 km off report one attack; two villages as far apart do not."""
    from streams.events import UNIT_KM
    from streams.extract.gazetteer import distance_km

    seat, village = _gid("Bankilaré", "NE"), _gid("Méhana", "NE")
    assert 30 < (distance_km(seat, village) or 0) < UNIT_KM
    assert sites_agree(Site("Bankilaré", seat, None, "NE"), Site("Méhana", village, None, "NE"))
    assert not sites_agree(Site("Méhana", village, None, "NE"), Site("Village B", seat, None, "NE"))
    state = EventState()
    for n, body in enumerate([
        "Gunmen killed 30 people in Bankilaré, Niger, on Sunday, officials said.",
        "Gunmen killed 34 villagers near Méhana, Niger, on Sunday, residents said.",
    ]):  # fmt: skip
        for copy in article(body, THURSDAY, id=f"a{n}"):
            state, _, _ = apply_article(state, copy)
    assert sorted(e.killed_best for e in state.events.values() if e.reports) == [34]


# -- wire copies -----------------------------------------------------------------------------
def test_a_hard_wrapped_wire_copy_is_read_as_its_sentences() -> None:
    body = (
        "BAMAKO, June 4 (Reuters) - Suspected jihadists killed at least\n"
        "27 villagers in an overnight raid on a hamlet near Bankass in\n"
        "central Mali, two local officials said on Wednesday.\n"
        "The attackers arrived on motorbikes shortly after midnight and\n"
        "set fire to granaries before withdrawing towards the border with\n"
        "Burkina Faso, a local official told Reuters by telephone.\n"
    )
    (c,) = candidates(article(body, THURSDAY))
    assert (c.admin1, c.killed_best, c.day) == ("Mopti", 27, date(2025, 6, 5))  # undated: not the dateline's day


def test_the_dateline_day_is_the_dispatchs() -> None:
    found = find_dates("BAMAKO, June 4 (Reuters) - Gunmen killed 12 people on Monday.", date(2025, 6, 5))
    assert [d.day for _, _, d in found] == [date(2025, 6, 2)]


@pytest.mark.parametrize(
    ("body", "killed"),
    [
        # a raised toll replaces the counts before it, a named group's included
        ("Gunmen killed nearly 50 soldiers near Djibo on Sunday.\nThe number of dead had risen to 46 by Tuesday.", 46),
        # a toll revised down (those identified so far) replaces nothing
        (
            "At least 60 people were killed near Djibo on Sunday.\nOfficials later gave a revised toll of 21 named.",
            60,
        ),  # fmt: skip
    ],
)
def test_a_toll_raised_in_the_article_replaces_the_earlier_counts(body: str, killed: int) -> None:
    assert placed(article(body, THURSDAY)) == [("BF", "Sahel", killed)]


def test_under_a_leads_total_other_names_of_its_dead_do_not_add() -> None:
    lead = "Nine people, seven foreign volunteers and two local guides, were killed near Djibo on Sunday."
    later = ["The volunteers were murdered with their guides by gunmen on motorbikes.",
             "Four nurses and three teachers were among the dead, their charity said."]  # fmt: skip
    assert placed(article("\n".join([lead, *later]), THURSDAY)) == [("BF", "Sahel", 9)]


# -- places pointed back to, sites between two towns, operations over days -------------------
def test_in_this_area_is_the_place_the_sentence_before_named() -> None:
    body = (
        "The army said it killed four fighters near Niono last week.\n"
        "The statement came as the army faces accusations of a massacre of villagers in Bankass.\n"
        "According to the army, 120 fighters were killed in an operation on May 20-27 in this area."
    )
    found = {(c.admin1, c.killed_best) for c in candidates(article(body, THURSDAY))}
    assert ("Mopti", 120) in found and ("Ségou", 120) not in found


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("an operation on May 20-27 killed 40", date(2025, 5, 20), "week"),
        ("between 3 and 5 May, 40 were killed", date(2025, 5, 3), "week"),
        ("from 1 to 20 May", date(2025, 5, 1), "month"),
        ("killed 12 on May 3 and 14 civilians were hurt", date(2025, 5, 3), "day"),  # no range: a count follows
    ],
)
def test_a_span_of_days_is_read_from_its_first(text: str, day: date, precision: str) -> None:
    found = find_dates(text, date(2025, 6, 5))
    assert [(d.day, d.precision) for _, _, d in found][:1] == [(day, precision)]


def test_a_site_between_two_towns_of_one_region_is_at_neither() -> None:
    """Mopti and Bankass are 90 km apart: the raid between them is the one Mopti's region
    reports, at no town of its own."""
    (c,) = candidates(
        article("Gunmen killed 14 bus passengers on the road between Mopti and Bankass on Sunday.", THURSDAY)
    )
    assert (c.admin1, c.place) == ("Mopti", "Mopti") and c.geonameid is None


# -- aggregates and claims in more wordings --------------------------------------------------
def _mentions(text: str) -> list[CasualtyMention]:
    (s,) = sentences([text])
    return read_casualties(s)


_CUMULATIVE = [
    "In the first half of the year, 410 civilians were killed in the region, the UN said.",
    "The mission recorded 233 civilian deaths in the third quarter.",
    "Between February and May, 640 people were killed in the region.",
    "Some 900 people were killed in the region during the first nine months of the year.",
    "The massacres have killed at least 270 people in the province.",
    "Researchers documented the killing of at least 350 civilians in 14 attacks.",
    "At least 190 people were killed in seven separate raids.",
    "About 420 civilians died in attacks by the group in the region, the report found.",
]
_ONE_ATTACK = [
    "Jihadists killed more than 60 people in three attacks on villages on Sunday.",  # coordinated: one attack
    "Gunmen killed 12 people in the past 24 hours.",
    "Gunmen killed 12 people on Sunday in the first attack of the year.",
]
_CLAIMS = [
    "The Islamic State group said its fighters killed 40 soldiers.",
    "Al-Qaeda's Sahel branch said its fighters killed 25 soldiers.",
    "JNIM's media arm announced that 12 soldiers were killed.",
    "Gunmen killed 12 soldiers, the Islamic State group said in a statement.",
]


@pytest.mark.parametrize(
    ("text", "scope"),
    [(t, "cumulative") for t in _CUMULATIVE] + [(t, "event") for t in _ONE_ATTACK] + [(t, "claim") for t in _CLAIMS],
)
def test_periods_many_attacks_and_armed_groups_words(text: str, scope: str) -> None:
    """A period's or many attacks' toll is cumulative, an armed group's word its claim;
    one attack's toll, coordinated raids of a day included, is the event's."""
    assert {m.scope for m in _mentions(text)} == {scope}


@pytest.mark.parametrize(
    "body",
    [
        "Speaking in Niamey, the interior minister said 44 people had died in the attack on Sunday.",
        "In Niamey, the government said 44 soldiers were killed on Sunday.",
        # where distances are measured from
        "Gunmen killed 44 villagers in two hamlets about 110 kilometres north of the capital Niamey on Saturday.",
        "Gunmen killed 44 villagers in a hamlet 70 miles (110 km) north of Niamey on Saturday.",
    ],
)
def test_a_capital_the_news_was_given_or_measured_from_is_not_the_site(body: str) -> None:
    assert placed(article(body, THURSDAY)) == [("NE", None, 44)]


def test_an_attack_in_the_capital_is_the_capitals() -> None:
    assert placed(article("A suicide bomber killed 11 people in Bamako on Sunday, the army said.", THURSDAY)) == [
        ("ML", "Bamako", 11)
    ]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("The army said 14 people died in the raid, while residents said 31 people died.", 31),  # two counts of them
        ("A local official counted 9 dead, but witnesses spoke of as many as 26 dead.", 26),
        ("Gunmen killed 12 people in one hamlet and 8 people in the next.", 20),  # two groups of dead
        ("The attack killed 20 soldiers, while 15 civilians died in the crossfire.", 35),
    ],
)
def test_two_counts_of_the_same_dead_in_a_sentence_do_not_add(text: str, killed: int) -> None:
    from streams.extract.frames import combine

    assert combine(_mentions(text), "killed", "best") == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Terror attack claims 30 lives in central Mali", 30),
        ("The ambush took the lives of 17 soldiers.", 17),
        ("The blast cost 14 lives.", 14),
        ("The rescue saved 30 lives.", None),
    ],
)
def test_lives_claimed_taken_or_cost(text: str, killed: int | None) -> None:
    assert [m.best for m in _mentions(text) if m.scope == "event"][:1] == ([killed] if killed else [])


@pytest.mark.parametrize(
    ("body", "killed"),
    [
        ("Death toll in village raid near Djibo rises to 64\nGunmen attacked the village on Sunday.", 64),
        (
            "The toll from Sunday's attack on two hamlets near Djibo in the north of the country stands at 71, "
            "officials said.",
            71,
        ),  # fmt: skip
        # the first count replaced, the attackers added after "in addition to"
        (
            "Army chief sacked after 61 killed near Djibo\nThe toll from Sunday's attack rose sharply from the 20 "
            "soldiers first reported.\nIn addition to the soldiers killed in the raid, 45 assailants died.",
            106,
        ),
    ],
)
def test_tolls_in_more_wordings(body: str, killed: int) -> None:
    assert placed(article(body, THURSDAY)) == [("BF", "Sahel", killed)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Gunmen rode into the town on Christmas Eve, killing 21.", date(2024, 12, 24)),
        ("On New Year's Day, gunmen killed 13 villagers.", date(2025, 1, 1)),
    ],
)
def test_holidays_are_days(text: str, day: date) -> None:
    assert [d.day for _, _, d in find_dates(text, date(2025, 6, 5))] == [day]
    assert find_dates("Christmas celebrations were called off.", date(2025, 6, 5)) == []


def test_a_newspapers_title_is_no_place_nor_a_countrys_evidence() -> None:
    from streams.extract.places import find_places

    text = "Gunmen killed 20 people on Sunday, Le Monde reported."
    places, countries = find_places(text, sentences([text]))
    assert places == [] and not countries


def test_a_town_distances_are_measured_from_keeps_its_region() -> None:
    assert placed(article("Gunmen killed 32 soldiers at a post 60 km from Djibo on Saturday.", THURSDAY)) == [
        ("BF", "Sahel", 32)
    ]


def test_places_geonames_still_codes_to_niamey_are_in_tillaberi() -> None:
    """GeoNames codes the old Niamey department's places (Téra, Kollo, their wells) to
    Niamey; outside the capital district they are Tillabéri's."""
    for town in ("Téra", "Kollo"):
        assert placed(article(f"Gunmen killed 30 people in {town}, Niger, on Saturday.", THURSDAY)) == [
            ("NE", "Tillabéri", 30)
        ]
    assert placed(article("Gunmen killed 12 people in Niamey on Saturday.", THURSDAY)) == [("NE", "Niamey", 12)]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Officials said the dead were 16 soldiers and five civilians.", [16, 5]),
        ("Those killed included a local imam.", []),  # some of the dead, told elsewhere
        ("The victims were buried on Monday.", []),
    ],
)
def test_the_dead_listed_in_full(text: str, killed: list[int]) -> None:
    assert [m.best for m in _mentions(text)] == killed
