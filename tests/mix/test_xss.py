"""Cross-site scripting: user text posted as comment bodies and as action and objective titles
comes back as inert text, never as markup that runs or that htmx would act on.

Each rendered page is parsed with Python's html.parser. The whole page may hold no inline script,
no event attribute, no javascript:/data:/vbscript: URL and none of the payloads' htmx attributes;
inside the comment body containers only the sanitiser's allow-list may appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from core.markup import ALLOWED_TAGS, render_markdown
from core.roles import Role
from core.tenancy import scopes_disabled
from mix.models import Action, Comment
from tests.conftest import Personas
from tracer.models import Objective

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click me</a>',
    "<svg onload=alert(4)><circle r=1></svg>",
    '<iframe src="javascript:alert(5)"></iframe>',
    '<div hx-get="/x" hx-trigger="load">htmx</div>',
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    '<p style="background:url(javascript:alert(8))">styled</p>',
    "[markdown link](javascript:alert(9))",
    "&lt;script&gt;alert(10)&lt;/script&gt; &#60;img src=x onerror=alert(10)&#62;",
    '<a href="JaVaScRiPt:alert(11)">mixed case</a>',
    "[entity link](&#106;avascript:alert(12))",
    "[spaced link]( javascript:alert(13) )",
    "<body onload=alert(14)>",
    '"><script>alert(15)</script><x y="',
    '<math><mi xlink:href="javascript:alert(16)">maths</mi></math>',
    "<details open ontoggle=alert(17)>toggle</details>",
    "[vb](vbscript:msgbox(18))",
    '<a href="&#x6A;avascript:alert(19)">hex entity</a>',
    '![image](x" onerror="alert(20))',
    '<div data-hx-get="/x" data-hx-trigger="load">data-hx</div>',
    "{{ 7|add:7 }} {% debug %} ${alert(22)}",
    "<style>body{display:none}</style>",
    '<object data="javascript:alert(24)"></object><embed src="javascript:alert(24)">',
    "[protocol relative](//evil.example/steal)",
    '<a href="https://ok.example" onclick="alert(26)" hx-post="/x">ok link</a>',
    '<form action="javascript:alert(27)"><button formaction="javascript:alert(27)">go</button></form>',
    "<input autofocus onfocus=alert(28)>",
    "<scr<script>ipt>alert(29)</scr</script>ipt>",
    "`<img src=x onerror=alert(30)>` and\n```\n<script>alert(30)</script>\n```",
    '<a href="java\tscript:alert(31)">tab</a> [tab](java&#9;script:alert(31))',
    "<base href=\"javascript:alert(32)//\"><meta http-equiv=refresh content='0;url=javascript:alert(32)'>",
]

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "content"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    in_user_html: bool  # inside a comment body container


class Page(HTMLParser):
    """Elements (with whether they sit inside a comment body), script text and the h1 text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[tuple[str, bool]] = []
        self.script_text = ""
        self.h1 = ""
        self.title = ""
        self.comment_bodies = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside = bool(self.stack) and self.stack[-1][1]
        attributes = dict(attrs)
        self.elements.append(Element(tag, attributes, inside))
        starts_body = "comment-body" in (attributes.get("class") or "").split()
        if starts_body:
            self.comment_bodies += 1
            assert "hx-disable" in attributes, "a comment body outside an hx-disable container"
        if tag not in VOID:
            self.stack.append((tag, inside or starts_body))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside = bool(self.stack) and self.stack[-1][1]
        self.elements.append(Element(tag, dict(attrs), inside))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if "script" in tags:
            self.script_text += data
        if "h1" in tags:
            self.h1 += data
        if tags and tags[-1] == "title":
            self.title += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def _normalised(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url).lower()


def assert_inert(html: str) -> Page:
    """The page runs nothing of the user's and htmx finds none of the payloads' attributes."""
    page = parse(html)
    problems = []
    for e in page.elements:
        where = f"<{e.tag} {e.attrs}>"
        if e.tag == "script" and not (e.attrs.get("src") or "").startswith("/static/"):
            problems.append(f"inline or foreign script: {where}")
        if e.tag in {"iframe", "object", "embed", "base", "style", "frame", "applet"}:
            problems.append(f"forbidden element: {where}")
        if e.tag == "meta" and (e.attrs.get("http-equiv") or "").lower() == "refresh":
            problems.append(f"meta refresh: {where}")
        for name, value in e.attrs.items():
            if name.startswith("on"):
                problems.append(f"event attribute {name}: {where}")
            if name in URL_ATTRIBUTES and value and BAD_SCHEME.match(_normalised(value)):
                problems.append(f"dangerous URL in {name}: {where}")
            if value == "/x" and name.startswith(("hx-", "data-hx-")):
                problems.append(f"the payload's htmx attribute: {where}")
        if e.in_user_html:
            if e.tag not in ALLOWED_TAGS:
                problems.append(f"tag outside the allow-list in a comment: {where}")
            allowed = {"href", "title", "rel"} if e.tag == "a" else set()
            if e.tag == "mark":  # our highlight of a mention, its one class only
                allowed = {"class"}
                if e.attrs.get("class", "mention") != "mention":
                    problems.append(f"a class other than mention on a mark: {where}")
            extra = set(e.attrs) - allowed
            if extra:
                problems.append(f"attributes {sorted(extra)} in a comment: {where}")
            href = e.attrs.get("href")
            if href is not None and not re.match(r"^(https?:|mailto:)", _normalised(href)):
                problems.append(f"href outside http/https/mailto in a comment: {where}")
            if e.tag == "a":
                assert e.attrs.get("rel") == "noopener noreferrer nofollow", where
    assert not page.script_text.strip(), f"script text on the page: {page.script_text[:200]!r}"
    assert not problems, "\n".join(problems)
    return page


@pytest.fixture
def alpha(personas: Personas, sample: Any, client_for: Any) -> Any:
    return client_for(personas.user(Role.EDITOR))


def detail(item: Action | Objective) -> str:
    kind = "action" if isinstance(item, Action) else "objective"
    return reverse(f"{kind}_detail", args=["alpha", item.uuid])


def test_the_corpus_is_big_enough() -> None:
    assert len(PAYLOADS) >= 15


def test_the_checker_catches_what_it_should() -> None:
    """The assertions above fail on unsafe markup (a checker that cannot fail is worthless)."""
    unsafe = [
        "<script>alert(1)</script>",
        "<p onclick=x>a</p>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<div hx-get="/x"></div>',
        '<div class="comment-body" hx-disable><span>x</span></div>',
        '<div class="comment-body" hx-disable><a href="/relative" rel="noopener noreferrer nofollow">x</a></div>',
    ]
    for html in unsafe:
        with pytest.raises(AssertionError):
            assert_inert(html)
    with pytest.raises(AssertionError):
        parse('<div class="comment-body"><p>x</p></div>')  # no hx-disable


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_as_a_comment_body(
    payload: str, personas: Personas, sample: Any, alpha: Any
) -> None:
    action = sample["action"]
    create = reverse("comment_create_action", args=["alpha", action.uuid])
    response = alpha.post(create, {"body": payload}, **HTMX)
    assert response.status_code == 200
    assert_inert(response.content.decode())
    with scopes_disabled():
        comment = Comment.objects.latest("id")
    assert comment.body == payload.strip()  # the source is kept as typed
    assert comment.body_html == render_markdown(payload.strip())
    page = assert_inert(alpha.get(detail(action)).content.decode())
    assert page.comment_bodies == 2
    # Edit form (the source in a textarea), the comment again, the collapsed resolved thread.
    edit = reverse("comment_edit", args=["alpha", comment.uuid])
    assert_inert(alpha.get(edit, **HTMX).content.decode())
    assert_inert(alpha.get(edit + "?display=1", **HTMX).content.decode())
    resolve = reverse("comment_resolve", args=["alpha", comment.uuid])
    assert_inert(alpha.post(resolve, {"resolved": "1"}, **HTMX).content.decode())


def test_payloads_in_a_mention_notification(
    personas: Personas, sample: Any, alpha: Any, django_capture_on_commit_callbacks: Any
) -> None:
    create = reverse("comment_create_action", args=["alpha", sample["action"].uuid])
    with django_capture_on_commit_callbacks(execute=True):
        for payload in PAYLOADS:
            response = alpha.post(create, {"body": f"@viewer {payload}"}, **HTMX)
            assert response.status_code == 200
    alpha.force_login(personas.user(Role.VIEWER))
    listing = alpha.get(reverse("notification_list", args=["alpha"])).content.decode()
    assert listing.count("mentioned you") == 25  # the first page
    assert_inert(listing)


def _set_title(client: Any, item: Action | Objective, value: str) -> Any:
    kind = "action" if isinstance(item, Action) else "objective"
    url = reverse(f"{kind}_field", args=["alpha", item.uuid, "title"])
    with scopes_disabled():
        item.refresh_from_db()
    return client.post(url, {"version": item.version, "title": value}, **HTMX)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("kind", ["action", "objective"])
def test_payload_as_a_title(
    kind: str, payload: str, personas: Personas, sample: Any, alpha: Any
) -> None:
    item = sample[kind]
    title = payload.strip()[:200]
    response = _set_title(alpha, item, title)
    assert response.status_code == 200, response.content.decode()[:500]
    assert_inert(response.content.decode())
    with scopes_disabled():
        item.refresh_from_db()
    assert item.title == title
    page = assert_inert(alpha.get(detail(item)).content.decode())
    # The title is text: the heading shows it character for character.
    label = "Action" if kind == "action" else "Objective"
    assert page.h1.strip() == f"{label}: {title}".strip()
    assert title in page.title
    # And on the plan pages, where the title shows again.
    for name in ("plan_board", "plan_table"):
        assert_inert(
            alpha.get(reverse(name, args=["alpha", sample["project"].uuid])).content.decode()
        )
