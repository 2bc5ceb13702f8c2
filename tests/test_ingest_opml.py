"""OPML reading (nested categories, odd input) and writing."""

from __future__ import annotations

import pytest

from newsdesk.ingest.opml import OpmlError, OpmlFeed, parse_opml, write_opml

NESTED = b"""<?xml version="1.0"?>
<opml version="1.0"><head><title>subs</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline text="Wire" type="rss" xmlUrl="https://wire.example/rss" htmlUrl="https://wire.example/"/>
    </outline>
    <outline title="Le Monde" xmlurl="https://lemonde.example/rss" language="fr"/>
  </outline>
  <outline text="Loose" type="rss" xmlUrl="https://loose.example/feed" category="/Tech/AI"/>
  <outline text="Duplicate" xmlUrl="https://wire.example/rss"/>
  <outline text="Empty folder"/>
</body></opml>"""


def test_nested_categories_and_attributes() -> None:
    assert parse_opml(NESTED, "subs.opml") == [
        OpmlFeed("Wire", "https://wire.example/rss", "https://wire.example/", None, "News/World"),
        OpmlFeed("Le Monde", "https://lemonde.example/rss", None, "fr", "News"),
        OpmlFeed("Loose", "https://loose.example/feed", None, None, "Tech/AI"),
    ]


def test_write_groups_by_category_and_round_trips() -> None:
    feeds = parse_opml(NESTED)
    text = write_opml(feeds, title="mine")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert "<title>mine</title>" in text
    assert parse_opml(text.encode()) == feeds


def test_write_escapes_special_characters() -> None:
    feed = OpmlFeed('A & B "quoted" <x>', "https://x.example/rss?a=1&b=2", None, None, None)
    assert parse_opml(write_opml([feed]).encode()) == [feed]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "my.opml: empty document"),
        (b"<opml><body><outline", "my.opml: malformed XML"),
        (b"<rss version='2.0'></rss>", "my.opml: not OPML (root element is <rss>)"),
        (b"<opml version='2.0'><head/></opml>", "my.opml: OPML has no <body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>',
            "my.opml: refused unsafe XML",
        ),
    ],
)
def test_errors_name_the_source(content: bytes, message: str) -> None:
    with pytest.raises(OpmlError) as info:
        parse_opml(content, source="my.opml")
    assert str(info.value).startswith(message)


def test_empty_body_is_an_empty_list() -> None:
    assert parse_opml(b"<opml version='2.0'><body></body></opml>") == []
