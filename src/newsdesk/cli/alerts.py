"""``newsdesk alerts``: follow-and-alert rules, their delivery and its log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import err, fail, labelled, out, state
from newsdesk.ids import MAX_ID

if TYPE_CHECKING:
    from gettext import NullTranslations

    from newsdesk.alerts.outbox import DeliveryStats
    from newsdesk.alerts.rules import Rule
    from newsdesk.alerts.run import RunStats
    from newsdesk.cli.common import AppState
    from newsdesk.store import Store

app = typer.Typer(
    help="Rules that follow searches, people and stories, and alert by webhook or e-mail.",
    no_args_is_help=True,
)


def _kind(
    t: NullTranslations,
    search: str | None,
    entity: str | None,
    speaker: str | None,
    story: int | None,
    coverage: bool,
    breaking: bool,
    silence: str | None,
) -> str:
    chosen = [
        kind
        for kind, given in (
            ("search", search is not None),
            ("entity", entity is not None),
            ("speaker", speaker is not None),
            ("story", story is not None),
            ("coverage", coverage),
            ("breaking", breaking),
            ("silence", silence is not None),
        )
        if given
    ]
    if len(chosen) != 1:
        fail(
            t.gettext(
                "say what the rule watches, with one of --search, --entity, --speaker, --story, "
                "--coverage, --breaking or --silence"
            ),
            code=2,
        )
    return chosen[0]


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The rule's name."),
    search: str | None = typer.Option(None, "--search", help="New articles matching this search."),
    entity: str | None = typer.Option(
        None, "--entity", help="New articles naming this person, place or organisation."
    ),
    speaker: str | None = typer.Option(None, "--speaker", help="New quotes by this speaker."),
    story: int | None = typer.Option(None, "--story", min=1, max=MAX_ID, help="Follow this story (its id)."),
    coverage: bool = typer.Option(
        False, "--coverage", help="A story reaches --outlets outlets or --languages languages."
    ),
    breaking: bool = typer.Option(
        False, "--breaking", help="A story's article rate grows past --multiple times its baseline."
    ),
    silence: str | None = typer.Option(
        None,
        "--silence",
        help="This outlet (domain) has not covered a story --hours after --outlets outlets did.",
    ),
    language: str | None = typer.Option(None, "--language", help="--search: only articles in this language."),
    outlet: str | None = typer.Option(
        None, "--outlet", help="--search: only this outlet's articles (domain)."
    ),
    on: str | None = typer.Option(
        None, "--on", help="--story: alert on new outlet, language, articles (comma-separated; default all)."
    ),
    every: int | None = typer.Option(
        None, "--every", min=1, help="--story: alert every N new articles (default 10)."
    ),
    outlets: int | None = typer.Option(
        None, "--outlets", min=1, help="--coverage, --silence: a number of outlets."
    ),
    languages: int | None = typer.Option(
        None, "--languages", min=1, help="--coverage: a number of languages."
    ),
    outlet_set: str | None = typer.Option(
        None, "--outlet-set", help="--coverage: count only these outlets (comma-separated domains)."
    ),
    language_set: str | None = typer.Option(
        None, "--language-set", help="--coverage: count only these languages (comma-separated)."
    ),
    multiple: float | None = typer.Option(
        None, "--multiple", min=0.0, help="--breaking: times the baseline rate (default 3)."
    ),
    min_articles: int | None = typer.Option(
        None,
        "--min-articles",
        min=1,
        help="--breaking: at least this many articles in the last hour (default 5).",
    ),
    hours: float | None = typer.Option(
        None,
        "--hours",
        min=0.0,
        help="--silence: hours after the story reached --outlets outlets (default 6).",
    ),
    webhook: list[str] = typer.Option(
        [], "--webhook", help="Deliver to this URL (JSON POST, signed); repeatable."
    ),
    secret: str | None = typer.Option(
        None, "--secret", help="The webhooks' signing secret (default: a new random one)."
    ),
    email: list[str] = typer.Option([], "--email", help="Deliver to this e-mail address; repeatable."),
    email_lang: str | None = typer.Option(
        None, "--email-lang", help="The e-mails' language (default: the reader's)."
    ),
    quiet: str | None = typer.Option(
        None, "--quiet", help="Quiet hours, e.g. 22:00-07:00: held until they end."
    ),
    timezone: str | None = typer.Option(
        None, "--timezone", help="The quiet hours' time zone, e.g. Europe/Paris."
    ),
    owner: str | None = typer.Option(
        None, "--owner", help="The user the rule belongs to (see `newsdesk user`)."
    ),
) -> None:
    """Add a rule: what it watches (one of --search, --entity, --speaker, --story, --coverage,
    --breaking, --silence) and where it alerts (--webhook, --email; each rule has an Atom feed too).
    Only articles stored after the rule is added fire it."""
    from newsdesk.alerts.make import new_rule, params_from_fields
    from newsdesk.alerts.rules import RuleError
    from newsdesk.store import alerts as alert_store
    from newsdesk.store import users

    t = state(ctx).interface
    kind = _kind(t, search, entity, speaker, story, coverage, breaking, silence)
    settings = state(ctx).settings
    try:
        params = params_from_fields(
            kind,
            text=next((t for t in (search, entity, speaker, silence) if t is not None), None),
            story=story,
            language=language,
            outlet=outlet,
            on=on,
            every=every,
            outlets=outlets,
            languages=languages,
            outlet_set=outlet_set,
            language_set=language_set,
            multiple=multiple,
            min_articles=min_articles,
            hours=hours,
        )
        rule = new_rule(
            name,
            kind,
            params,
            settings,
            webhooks=webhook,
            emails=email,
            secret=secret,
            email_language=email_lang,
            quiet_hours=quiet,
            timezone=timezone,
        )
    except RuleError as exc:
        fail(exc.reason(t), code=2)
    with state(ctx).open_store(create=True).session() as session:
        owner_id = None
        if owner:
            user = users.find_user(session, owner)
            if user is None:
                fail(t.gettext("no user %(name)s (see `newsdesk user list`)") % {"name": repr(owner)}, code=2)
            owner_id = user.id
        try:
            added = alert_store.add_rule(session, rule, owner_id, datetime.now(UTC))
        except RuleError as exc:
            fail(exc.reason(t), code=2)
    _print_rule(t, added, secrets=True)


def _print_rule(t: NullTranslations, rule: Rule, secrets: bool = False) -> None:
    from newsdesk.alerts.rules import describe

    out.print(f"#{rule.id} {rule.name} ({rule.kind}): {describe(rule, t)}")
    if rule.owner:
        out.print("  " + t.gettext("owner: %(name)s") % {"name": rule.owner})
    if rule.quiet_hours:
        hours = rule.quiet_hours + (f" ({rule.timezone})" if rule.timezone else "")
        out.print("  " + t.gettext("quiet hours: %(hours)s") % {"hours": hours})
    for target in rule.targets:
        line = f"  {target.kind}: {target.address}"
        if target.secret and secrets:
            line += "  " + t.gettext("secret: %(secret)s") % {"secret": target.secret}
        if target.language:
            line += f"  ({target.language})"
        out.print(line)
    if not rule.targets:
        feed = f"/feeds/alerts/{rule.id}.atom"
        out.print(
            "  "
            + t.gettext("no targets: see its Atom feed, %(feed)s in the web application") % {"feed": feed}
        )


def _rule_json(rule: Rule, secrets: bool = False) -> dict[str, object]:
    from newsdesk.alerts.rules import rule_document

    document = rule_document(rule, secrets)
    for key in ("created", "evaluated"):
        document[key] = document[key].isoformat() if document[key] else None
    return document


def _find(ctx: typer.Context, rule: str) -> Rule:
    from newsdesk.store import alerts as alert_store

    with state(ctx).store.session() as session:
        found = alert_store.find_rule(session, rule)
    if found is None:
        fail(
            state(ctx).interface.gettext("no alert rule %(rule)s (see `newsdesk alerts list`)")
            % {"rule": repr(rule)}
        )
    return found


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """Every rule: what it watches and where it alerts."""
    from rich.table import Table

    from newsdesk.alerts.rules import describe
    from newsdesk.store import alerts as alert_store

    with state(ctx).store.session() as session:
        rules = alert_store.list_rules(session)
    if as_json:
        typer.echo(json.dumps([_rule_json(r) for r in rules], ensure_ascii=False, indent=2))
        return
    _ = state(ctx).interface.gettext
    if not rules:
        out.print(
            _("no alert rules yet: add one with `newsdesk alerts add NAME --search QUERY --webhook URL`")
        )
        return
    table = Table("id", _("name"), _("kind"), _("watches"), _("targets"), _("owner"), expand=False)
    for r in rules:
        targets = ", ".join(t.address for t in r.targets) or "(" + _("Atom feed only") + ")"
        table.add_row(
            str(r.id),
            r.name + ("" if r.enabled else " (" + _("paused") + ")"),
            r.kind,
            describe(r, state(ctx).interface),
            targets,
            r.owner or "",
        )
    out.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    rule: str = typer.Argument(..., help="The rule's name or id."),
    secrets: bool = typer.Option(False, "--secrets", help="Show the webhooks' signing secrets."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """A rule, its targets, its latest events and how its deliveries stand."""
    from newsdesk.store import alerts as alert_store

    found = _find(ctx, rule)
    with state(ctx).store.session() as session:
        events = alert_store.rule_events(session, found.id or 0, limit=10)
        counts = alert_store.delivery_counts(session, found.id or 0)
    if as_json:
        data = _rule_json(found, secrets)
        data["deliveries"] = counts
        data["events"] = [
            {"key": e.key, "title": e.title, "detected": e.detected.isoformat()} for e in events
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    t = state(ctx).interface
    _print_rule(t, found, secrets)
    tally = ", ".join(f"{n} {state_}" for state_, n in sorted(counts.items())) or t.gettext("none yet")
    out.print("  " + t.gettext("deliveries: %(counts)s") % {"counts": tally})
    for event in events:
        out.print(f"  {event.detected:%Y-%m-%d %H:%M}  {event.title}")


def _switch(ctx: typer.Context, rule: str, enabled: bool) -> None:
    from newsdesk.store import alerts as alert_store

    found = _find(ctx, rule)
    with state(ctx).store.session() as session:
        alert_store.set_enabled(session, found.id or 0, enabled)
    _ = state(ctx).interface.gettext
    done = _("resumed #%(id)d %(name)s") if enabled else _("paused #%(id)d %(name)s")
    out.print(done % {"id": found.id, "name": found.name})


@app.command("pause")
def pause(ctx: typer.Context, rule: str = typer.Argument(..., help="The rule's name or id.")) -> None:
    """Stop evaluating a rule (what it already detected is still delivered)."""
    _switch(ctx, rule, False)


@app.command("resume")
def resume(ctx: typer.Context, rule: str = typer.Argument(..., help="The rule's name or id.")) -> None:
    """Evaluate a paused rule again, on what is stored from now on."""
    _switch(ctx, rule, True)


@app.command("remove")
def remove(ctx: typer.Context, rule: str = typer.Argument(..., help="The rule's name or id.")) -> None:
    """Remove a rule, its events and its deliveries."""
    from newsdesk.store import alerts as alert_store

    found = _find(ctx, rule)
    with state(ctx).store.session() as session:
        alert_store.remove_rule(session, found.id or 0)
    out.print(state(ctx).interface.gettext("removed #%(id)d %(name)s") % {"id": found.id, "name": found.name})


def delivery_line(t: NullTranslations, stats: DeliveryStats) -> str:
    delivered, retrying, failed = stats.delivered, stats.retrying, stats.failed
    parts = [
        t.ngettext("%(num)d notification delivered", "%(num)d notifications delivered", delivered)
        % {"num": delivered}
    ]
    if retrying:
        parts.append(t.ngettext("%(num)d to retry", "%(num)d to retry", retrying) % {"num": retrying})
    if failed:
        parts.append(t.ngettext("%(num)d failed", "%(num)d failed", failed) % {"num": failed})
    return ", ".join(parts)


def report_run(t: NullTranslations, stats: RunStats, stamp: bool = False) -> None:
    """Print what a run of the rules found and delivered, with the errors (plain text)."""
    for error in stats.errors:
        err.print(labelled(t.gettext("alert rule:"), "yellow", error))
    for error in stats.delivery.errors:
        err.print(labelled(t.gettext("delivery:"), "yellow", error))
    rules = t.ngettext("%(num)d rule evaluated", "%(num)d rules evaluated", stats.rules) % {
        "num": stats.rules
    }
    events = t.ngettext("%(num)d new event", "%(num)d new events", stats.events) % {"num": stats.events}
    line = t.gettext("alerts: %(rules)s, %(events)s, %(deliveries)s") % {
        "rules": rules,
        "events": events,
        "deliveries": delivery_line(t, stats.delivery),
    }
    out.print(f"{datetime.now().strftime('%H:%M:%S')}  {line}" if stamp else line)


def run_after_round(app_state: AppState, store: Store) -> None:
    """The rules after a round of ``newsdesk run``: a line when something was found or sent."""
    from newsdesk.alerts.run import run_alerts

    settings = app_state.settings
    if not settings.alerts.enabled:
        return
    try:
        stats = run_alerts(store, settings)
    except Exception as exc:  # the polling goes on; the outbox keeps what was not delivered
        t = app_state.interface
        err.print(
            labelled(
                t.gettext("alerts:"), "yellow", t.gettext("not run this round: %(reason)s") % {"reason": exc}
            )
        )
        return
    d = stats.delivery
    if stats.events or d.delivered or d.retrying or d.failed or stats.errors:
        report_run(app_state.interface, stats, stamp=True)


@app.command("run")
def run(ctx: typer.Context) -> None:
    """Evaluate every rule once and deliver what is due (``newsdesk run`` does this after each round)."""
    from newsdesk.alerts.run import run_alerts

    app_state = state(ctx)
    stats = run_alerts(app_state.store, app_state.settings)
    report_run(app_state.interface, stats)
    if stats.errors:
        raise typer.Exit(1)


@app.command("test")
def test(ctx: typer.Context, rule: str = typer.Argument(..., help="The rule's name or id.")) -> None:
    """Send a test notification to each of the rule's targets now, and say how it went."""
    from newsdesk.alerts.run import send_test

    t = state(ctx).interface
    found = _find(ctx, rule)
    if not found.targets:
        fail(t.gettext("%(name)s has no targets to test (add --webhook or --email)") % {"name": found.name})
    stats = send_test(state(ctx).store, state(ctx).settings, found)
    for error in stats.errors:
        err.print(labelled(t.gettext("delivery:"), "yellow", error))
    out.print(delivery_line(t, stats))
    if stats.delivered < len(found.targets):
        raise typer.Exit(1)


@app.command("log")
def log(
    ctx: typer.Context,
    rule: str | None = typer.Argument(None, help="Only this rule's deliveries (name or id)."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="How many tries to show."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """The delivery log: each try, newest first, with its target, outcome and error."""
    from rich.table import Table

    from newsdesk.store import alerts as alert_store

    rule_id = _find(ctx, rule).id if rule else None
    with state(ctx).store.session() as session:
        rows = alert_store.delivery_log(session, rule_id, limit)
    if as_json:
        typer.echo(
            json.dumps([{**vars(r), "at": r.at.isoformat()} for r in rows], ensure_ascii=False, indent=2)
        )
        return
    _ = state(ctx).interface.gettext
    if not rows:
        out.print(_("nothing delivered yet"))
        return
    table = Table(
        _("time"),
        _("rule"),
        _("target"),
        _("attempt"),
        _("result"),
        _("error"),
        _("notification"),
        expand=False,
    )
    for r in rows:
        result = (_("delivered") if r.ok else _("failed")) + (f" ({r.status})" if r.status else "")
        table.add_row(
            r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            r.rule,
            f"{r.target} {r.address}",
            str(r.attempt),
            result,
            r.error or "",
            r.title,
        )
    out.print(table)
