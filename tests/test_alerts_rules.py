"""Each kind of alert rule fires once, on what was stored after it was made; quiet hours hold
deliveries until they end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsdesk.alerts.detect import ArticleFact, StoryFacts, article_rate, reached
from newsdesk.alerts.make import new_rule
from newsdesk.alerts.quiet import release_time
from newsdesk.alerts.rules import RuleError, checked_params
from newsdesk.alerts.run import evaluate, run_alerts
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store import alerts as alert_store
from newsdesk.testing.webhooks import WebhookReceiver
from tests.alert_support import NOW, add_article, name_entity, settings_for


class Desk:
    def __init__(self, store: Store, settings: Settings, receiver: WebhookReceiver) -> None:
        self.store, self.settings, self.receiver = store, settings, receiver

    def rule(self, title: str, kind: str, /, **params: object) -> None:
        rule = new_rule(title, kind, params, self.settings, webhooks=[self.receiver.url])
        with self.store.session() as session:
            alert_store.add_rule(session, rule, None, NOW)

    def run(self, now: datetime = NOW) -> list[str]:
        """Evaluate and deliver (twice: the second finds nothing new); the events received so far."""
        run_alerts(self.store, self.settings, now)
        run_alerts(self.store, self.settings, now)
        return sorted(r.document["event"] for r in self.receiver.requests)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    db = tmp_path / "news.db"
    store = Store(f"sqlite:///{db}")
    add_article(store, 1, "a.example", "Summit opens in Geneva")
    with WebhookReceiver() as receiver:
        yield Desk(store, settings_for(tmp_path, db), receiver)
    store.close()


def test_an_entity_rule_fires_once_per_new_article_naming_it(desk: Desk) -> None:
    name_entity(desk.store, 1, "Ada Lovelace")  # before the rule: never fires it
    desk.rule("ada", "entity", name="Lovelace")
    first = add_article(desk.store, 2, "b.example", "Engines and poetry")
    name_entity(desk.store, first, "Ada Lovelace")
    other = add_article(desk.store, 3, "b.example", "Something else")
    name_entity(desk.store, other, "Charles Babbage")
    assert desk.run() == [f"article:{first}"]


def test_a_speaker_rule_fires_once_per_new_quote(desk: Desk) -> None:
    desk.rule("ada says", "speaker", name="Ada Lovelace")
    article = add_article(desk.store, 2, "b.example", "Interview")
    name_entity(desk.store, article, "Ada Lovelace", quote="The engine weaves algebraic patterns")
    name_entity(desk.store, article, "Charles Babbage", quote="Errors using inadequate data")
    events = desk.run()
    assert len(events) == 1 and events[0].startswith("quote:")
    assert "algebraic patterns" in desk.receiver.requests[0].document["title"]


def test_a_followed_story_alerts_on_new_outlets_languages_and_every_n_articles(desk: Desk) -> None:
    desk.rule("summit", "story", story_id=1, every=2)
    add_article(desk.store, 1, "a.example", "Summit: day two")  # a known outlet and language
    assert desk.run() == []
    add_article(desk.store, 1, "c.example", "Sommet à Genève", language="fr")
    add_article(desk.store, 2, "d.example", "Another story altogether", language="de")
    assert desk.run() == ["story:1:articles:2", "story:1:language:fr", "story:1:outlet:c.example"]


def test_a_coverage_rule_fires_once_when_a_story_reaches_n_outlets_or_m_languages(desk: Desk) -> None:
    desk.rule("wide", "coverage", outlets=3, languages=3)
    desk.rule("french press", "coverage", outlets=2, outlet_set=["lemonde.fr", "liberation.fr"])
    add_article(desk.store, 1, "b.example", "Summit: the talks")
    assert desk.run() == []
    add_article(desk.store, 1, "lemonde.fr", "Sommet de Genève", language="fr")
    add_article(desk.store, 1, "c.example", "More on the summit")
    events = desk.run()
    assert events == ["story:1:coverage"]
    add_article(desk.store, 1, "liberation.fr", "Le sommet", language="fr")
    add_article(desk.store, 1, "e.example", "Gipfel in Genf", language="de")
    assert desk.run() == ["story:1:coverage", "story:1:coverage"]  # one for each rule, once
    rules = {r.document["rule"]["name"] for r in desk.receiver.requests}
    assert rules == {"wide", "french press"}


def test_breaking_compares_the_last_hour_with_the_hourly_rate_of_the_day_before(desk: Desk) -> None:
    desk.rule("breaking", "breaking", multiple=3.0, min_articles=4)
    for hours in (20, 15, 10, 5):  # one article every five hours: a baseline of 4/24 an hour
        add_article(desk.store, 7, "b.example", "Quiet story", when=NOW - timedelta(hours=hours))
    for minutes in (50, 40, 30):
        add_article(desk.store, 7, "b.example", "Quiet story heats up", when=NOW - timedelta(minutes=minutes))
    assert desk.run() == []  # three in the last hour: under min_articles
    add_article(desk.store, 7, "c.example", "Quiet story erupts", when=NOW - timedelta(minutes=5))
    assert desk.run() == ["story:7:breaking"]
    add_article(desk.store, 7, "d.example", "Still erupting", when=NOW - timedelta(minutes=2))
    assert desk.run() == ["story:7:breaking"]


def test_article_rate_counts_the_window_and_the_mean_of_the_baseline() -> None:
    members = [
        ArticleFact(i, "t", "u", "o", "en", NOW - timedelta(hours=h))
        for i, h in enumerate((0.5, 0.2, 3, 10, 30), 1)
    ]
    recent, baseline = article_rate(StoryFacts(1, "s", members), NOW, 1.0, 24.0)
    assert recent == 2 and baseline == pytest.approx(2 / 24)


def test_silence_fires_when_an_outlet_has_not_covered_a_story_t_hours_after_it_reached_n(desk: Desk) -> None:
    desk.rule("where is x", "silence", outlet="x.example", outlets=3, hours=6.0)
    start = NOW - timedelta(hours=8)
    add_article(desk.store, 5, "a.example", "Floods", when=start)
    add_article(desk.store, 5, "b.example", "Floods spread", when=start + timedelta(hours=1))
    add_article(desk.store, 5, "c.example", "Floods: the toll", when=start + timedelta(hours=3))
    add_article(desk.store, 6, "a.example", "Covered by x", when=start)
    add_article(desk.store, 6, "b.example", "Covered by x", when=start)
    add_article(desk.store, 6, "c.example", "Covered by x", when=start)
    add_article(desk.store, 6, "x.example", "Covered by x", when=start)
    assert desk.run(now=start + timedelta(hours=8)) == []  # reached 3 outlets 5 h before
    assert desk.run(now=start + timedelta(hours=9)) == ["story:5:silence:x.example"]
    assert desk.run(now=start + timedelta(hours=30)) == ["story:5:silence:x.example"]


def test_reached_is_the_first_article_of_the_nth_outlet() -> None:
    times = [("a", 0), ("a", 1), ("b", 2), ("c", 5), ("b", 6)]
    members = [ArticleFact(i, "t", "u", o, "en", NOW + timedelta(hours=h)) for i, (o, h) in enumerate(times)]
    assert reached(StoryFacts(1, "s", members), 3) == NOW + timedelta(hours=5)
    assert reached(StoryFacts(1, "s", members), 4) is None


def test_quiet_hours_hold_a_delivery_until_they_end(desk: Desk) -> None:
    rule = new_rule(
        "night",
        "search",
        {"query": "summit"},
        desk.settings,
        webhooks=[desk.receiver.url],
        quiet_hours="22:00-07:00",
        timezone="Europe/Paris",
    )
    with desk.store.session() as session:
        alert_store.add_rule(session, rule, None, NOW)
    add_article(desk.store, 2, "b.example", "Summit ends")
    night = datetime(2026, 12, 5, 23, 30, tzinfo=ZoneInfo("Europe/Paris"))
    run_alerts(desk.store, desk.settings, night)
    assert desk.receiver.requests == []
    run_alerts(desk.store, desk.settings, datetime(2026, 12, 6, 6, 59, tzinfo=ZoneInfo("Europe/Paris")))
    assert desk.receiver.requests == []
    run_alerts(desk.store, desk.settings, datetime(2026, 12, 6, 7, 0, tzinfo=ZoneInfo("Europe/Paris")))
    assert len(desk.receiver.requests) == 1


def test_release_time_over_midnight_and_within_a_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    at = datetime(2026, 7, 1, 23, 0, tzinfo=paris)
    assert release_time("22:00-07:00", paris, at) == datetime(2026, 7, 2, 7, 0, tzinfo=paris)
    assert release_time("22:00-07:00", paris, at.replace(hour=3)) == datetime(2026, 7, 1, 7, 0, tzinfo=paris)
    assert release_time("22:00-07:00", paris, at.replace(hour=12)) == at.replace(hour=12)
    assert release_time("12:00-14:00", paris, at.replace(hour=13)) == at.replace(hour=14)
    assert release_time(None, paris, at) == at
    utc = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # 23:30 in Paris (summer time)
    assert release_time("22:00-07:00", paris, utc) == datetime(2026, 7, 2, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "params", "quiet", "message"),
    [
        ("search", {"query": " "}, None, "needs a query"),
        ("story", {"story_id": 0}, None, "story's id"),
        ("coverage", {}, None, "number of outlets"),
        ("silence", {"outlet": "x.example", "hours": -1}, None, "above 0"),
        ("gossip", {}, None, "unknown rule kind"),
        ("search", {"query": "q"}, "late", "HH:MM-HH:MM"),
        ("search", {"query": " ".join(["word"] * 70)}, None, "at most 64"),
        ("coverage", {"outlets": "many"}, None, "must be a number"),
        ("coverage", {"outlets": 2.5}, None, "must be a number"),
        ("story", {"story_id": 3, "on": "outlet"}, None, "list of strings"),
        ("entity", {"name": ["x"]}, None, "must be a string"),
        ("search", {"query": "q", "colour": "red"}, None, "take no colour"),
    ],
)
def test_a_rule_that_cannot_work_is_refused(kind: str, params: dict, quiet: str | None, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        new_rule("r", kind, params, Settings(), quiet_hours=quiet)


def test_parameters_are_kept_as_their_types() -> None:
    params = checked_params("coverage", {"outlets": "3", "language_set": [" fr ", ""]})
    assert params == {"outlets": 3, "languages": None, "outlet_set": [], "language_set": ["fr"]}
    assert checked_params("breaking", {"multiple": 2})["multiple"] == 2.0


def test_a_rule_evaluated_by_two_processes_at_once_records_its_events_once(desk: Desk) -> None:
    desk.rule("summit", "search", query="summit")
    add_article(desk.store, 2, "b.example", "Summit ends")
    with desk.store.session() as session:
        seen_by_both = alert_store.find_rule(session, "summit")
        upto = alert_store.newest_article_id(session)
    assert seen_by_both is not None
    assert evaluate(desk.store, desk.settings, seen_by_both, upto, NOW) == 1
    assert evaluate(desk.store, desk.settings, seen_by_both, upto, NOW) == 0  # its cursor moved meanwhile
    with desk.store.session() as session:
        assert len(alert_store.rule_events(session, seen_by_both.id or 0)) == 1
        assert alert_store.delivery_counts(session, seen_by_both.id or 0) == {"pending": 1}
