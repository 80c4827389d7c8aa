"""Show a ``NoticeTree`` to a person (``tree_text``) or a program (``tree_json``)."""

from __future__ import annotations

from dataclasses import asdict

from qmgraph.model import NoticeTree


def tree_json(tree: NoticeTree) -> dict:
    d = asdict(tree)
    src = d.pop("source")
    d["source"] = {k: src[k] for k in ("path", "content_hash", "encoding", "script", "reader", "dropped")}
    d["counts"] = _counts(tree)
    return d


def _counts(tree: NoticeTree) -> dict[str, int]:
    return {
        "organizer_blocks": sum(1 for b in tree.blocks if b.kind == "organizer"),
        "jurisdiction_blocks": sum(1 for b in tree.blocks if b.kind == "jurisdiction"),
        "body_blocks": sum(1 for b in tree.blocks if b.kind == "body"),
        "numbered_items": sum(1 for b in tree.blocks for it in b.items if it.numbering),
        "roster": len(tree.roster),
        "slogans": len(tree.slogans),
        "attachments": len(tree.attachments),
    }


def tree_text(tree: NoticeTree) -> str:
    s = tree.source
    out = [
        f"{s.path}  ({s.encoding}, {s.script}, read as {s.reader})",
        f"title      {tree.title}",
        f"doc number {tree.doc_number or '-'}",
        f"issuer     {tree.issuer or '-'}",
        f"issued     {tree.issued or '-'}   year {tree.year or '-'}",
        f"place      {'national' if tree.context_national else (tree.context_code or '-')}",
        f"theme      {tree.theme or '-'}",
    ]
    if tree.addressees:
        out.append(f"to         {'、'.join(tree.addressees)}")
    if tree.cited_doc_numbers:
        out.append(f"cites      {'、'.join(tree.cited_doc_numbers)}")
    if tree.follows_national:
        out.append("follows    the national deployment (按照全国…)")
    for sec in tree.sections:
        out.append(f"section    {sec.numbering}{sec.title}")
    for att in tree.attachments:
        out.append(f"attachment {att.number}: {att.title}")
    out.append("blocks:")
    for b in tree.blocks:
        head = b.name or "(issuer)"
        out.append(f"  [{b.kind}] {b.numbering}{head}  — {len(b.items)} item(s)  〈{b.section[:30]}〉")
        for it in b.items[:60]:
            out.append(f"      {it.numbering or '·'} {it.text[:70]}")
    if tree.roster:
        out.append(f"roster ({len(tree.roster)}): {'、'.join(tree.roster)}")
    if tree.signatories:
        out.append(f"signatories ({len(tree.signatories)}): {'、'.join(tree.signatories)}")
    if tree.slogans:
        out.append(f"slogans ({len(tree.slogans)}):")
        out.extend(f"  - {sl}" for sl in tree.slogans)
    if s.dropped:
        out.append(f"dropped residue ({len(s.dropped)}):")
        out.extend(f"  x {d[:70]}" for d in s.dropped)
    for w in tree.warnings:
        out.append(f"warning: {w}")
    c = _counts(tree)
    out.append("counts: " + ", ".join(f"{k}={v}" for k, v in c.items()))
    return "\n".join(out)
