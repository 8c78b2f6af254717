"""The API reference page: the document's `code` runs become <code>, nothing else is markup."""

from testimonials.api.pages import code_spans


def test_backticked_runs_become_code_and_everything_else_is_escaped() -> None:
    assert str(code_spans("Send `If-None-Match` <b>&</b> `a<b>`")) == (
        "Send <code>If-None-Match</code> &lt;b&gt;&amp;&lt;/b&gt; <code>a&lt;b&gt;</code>")


def test_an_unpaired_backtick_stays_text() -> None:
    assert str(code_spans("a ` b")) == "a ` b"
    assert str(code_spans("")) == ""
