"""What Pagefind reads of a page (edition/searchinput.py): the cases a build may keep a bundle for,
and those where HTML's parser would read the page otherwise (the page then counts as changed)."""

from edition.searchinput import search_input


def test_the_search_input_of_a_page_is_the_page_but_the_text_pagefind_ignores() -> None:
    zh = ('<article data-pagefind-body><div class="row" id="p1"><div class="cell" lang="zh">你好</div>'
          '<div class="cell" lang="en" data-pagefind-ignore>Hello <em id="x">you</em><div>inner</div>'
          '<sup data-pagefind-ignore><a href="#n1">1</a></sup></div></div>'
          '<section data-pagefind-ignore="all"><h2 id="h">Notes</h2></section></article>')
    edited = zh.replace("Hello <em id=\"x\">you</em>", "Hi <em id=\"x\">all</em>").replace("inner", "in")
    zh, edited = zh.encode(), edited.encode()
    assert search_input(zh) == search_input(edited)  # other text, same tags: the same search input
    assert search_input(zh.replace("你好".encode(), "您好".encode())) != search_input(zh)  # the indexed text
    assert search_input(zh.replace(b'id="x"', b'id="y"')) != search_input(zh)  # an id Pagefind may record
    assert search_input(zh.replace(b"Notes", b"Endnotes")) == search_input(zh)
    assert search_input(zh.replace(b">1</a>", b">2</a>")) == search_input(zh)  # in an ignored element in another
    # an ignored element holding what Pagefind reads all the same (a filter) is kept whole
    filtered = zh.replace(b'<em id="x">', b'<em id="x" data-pagefind-filter="tag">')
    assert search_input(filtered.replace(b"you", b"thee")) != search_input(filtered)
    assert search_input(b'<div data-pagefind-ignore>open <p>') is None  # no end: counts as changed
    # what Pagefind reads in an ignored element all the same (helper's attack, 1 December)
    for read in ('<div data-pagefind-ignore data-pagefind-filter="who">C. Translator</div>',  # its own filter
                 '<div data-pagefind-ignore><h1>Title</h1></div>',  # a page title when none is set
                 '<p id="a"><span data-pagefind-ignore>C. Translator</span></p>',  # an anchor's text
                 '<a title="the data-pagefind-ignore attribute">C. Translator</a>'):  # not an attribute
        assert search_input(read.encode()) != search_input(read.replace("C. Translator", "Title2").replace(
            "Title", "D. Translator").encode()), read
    # An ignored element's start tag written where it is not a tag (helper's attack, 1 December, second):
    # a comment, a script's string or an attribute value; the text after it is read by Pagefind.
    for fake in ('<!-- was: <div class=aligned data-pagefind-ignore> -->',
                 "<script>let s = '<div data-pagefind-ignore>';</script>",
                 '<a title="<div data-pagefind-ignore>">x</a>'):
        text = f'<div class="aligned">{fake}<div class="cell" lang="en">everyone</div></div>'
        before, after = search_input(text.encode()), search_input(text.replace("everyone", "zebras").encode())
        assert before is None or before != after, fake  # None: counts as changed
    # Where HTML's parser (Pagefind's) reads markup otherwise than a regular expression would (a
    # helper's attack, 1 December, third; each pair verified with Pagefind 1.5.2 to index differently).
    for markup in (
            "<div data-pagefind-ignore>a</DIV>{}</div>",
            "<xmp><div data-pagefind-ignore>{}</div></xmp>",
            "<noembed><div data-pagefind-ignore>{}</div></noembed>",
            "<noframes><div data-pagefind-ignore>{}</div></noframes>",
            "<plaintext><div data-pagefind-ignore>{}</div>",
            "<div data-pagefind-ignore>x<xmp><div></xmp></div>{}</div>",
            "<?x <div data-pagefind-ignore>{}</div>",
            "<!x <div data-pagefind-ignore>{}</div>",
            "</ <div data-pagefind-ignore>{}</div>",
            "<![CDATA[<div data-pagefind-ignore>]]>{}</div>",
            '<div x="1"y="<div data-pagefind-ignore>">{}</div>',
            '<div data-pagefind-ignore>x<a href=/?a=b title="<div>"></a></div>{}</div>',
            "<div\x0bdata-pagefind-ignore>{}</div>",
            '<div data-pagefind-ignore><span DATA-PAGEFIND-META="author">{}</span></div>',
            '<div data-pagefind-ignore><span Data-Pagefind-Filter="tag">{}</span></div>',
            "<div data-pagefind-ignore><section DATA-PAGEFIND-BODY>{}</section></div>",
            "<div data-pagefind-ignore><H1>{}</H1></div>",
            "<section><div data-pagefind-ignore>x</section>{}</div>"):  # closed by its parent's end tag
        wrap = '<!DOCTYPE html><html lang="en"><body><main data-pagefind-body><p>Body</p>{}</main></body></html>'
        before, after = (search_input(wrap.format(markup.format(w)).encode()) for w in ("Alpha", "Bravo"))
        assert before is None or before != after, markup
    # A tag's attribute value may hold `>`: the ignored text is told from the tags whole.
    quoted = '<div data-pagefind-ignore>old <span id="a>b" class="c">x</span></div>'
    assert search_input(quoted.encode()) != search_input(quoted.replace('class="c"', 'class="d"').encode())
    assert search_input(quoted.encode()) == search_input(quoted.replace("old", "new").encode())
