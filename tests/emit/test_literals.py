"""Literals written by ``qmgraph.rdfterms``: escaped as N-Triples wants, read back equal."""

from __future__ import annotations

import pytest
import rdflib

from qmgraph.rdfterms import lang, plain, zh

TEXTS = [
    "市场监管局开展“质量月”活动",
    'the "quoted" word',
    "a back\\slash",
    "two\nlines",
    "carriage\rreturn",
    "tab\tcell",
    '全部\\"\n\r\t混在一起',
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_literal_reads_back_as_written(text: str) -> None:
    # a text with nothing to escape takes the short way; the others are translated
    for term, expected in ((plain(text), rdflib.Literal(text)),
                           (zh(text), rdflib.Literal(text, lang="zh")),
                           (lang(text, "en"), rdflib.Literal(text, lang="en"))):
        g = rdflib.Graph().parse(data=f"<urn:s> <urn:p> {term} .\n", format="nt")
        assert list(g.objects()) == [expected]
        assert "\n" not in term and "\r" not in term and "\t" not in term
