"""Tunable thresholds of the lineage linker, in one frozen dataclass.

Every constant says why it has its value and which seed figures it was calibrated on
(see ``docs/decisions/0006-lineage.md`` for the calibration table).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkParams:
    """Thresholds and weights of :func:`qmgraph.link.link`."""

    # ------------------------------------------------------------ candidate index
    #: Character n-gram length of the inverted index and of the coverage measure. The
    #: texts are unsegmented Chinese; bigrams (质量, 开展) are shared by almost every pair,
    #: trigrams are the shortest units that separate actions (宣传周, 昆仑2).
    ngram: int = 3
    #: A gram found in more than this share of all activities is boilerplate for the index
    #: (its posting list is skipped, not scored). On the seeds 5 % is ≈ 20 activities:
    #: 质量月, 开展质, 活动期 … — none is the only shared gram of a gold pair.
    max_posting_share: float = 0.05
    #: …but a posting list is never capped below this many activities, so tiny corpora
    #: (unit tests, a single notice pair) keep every gram.
    min_posting_cap: int = 40
    #: Candidates kept per lower activity and per higher jurisdiction, ranked by the summed
    #: weights of shared grams. Bounds the number of alignments to ``K·n`` (linear). The
    #: best seed target is always within the first 3; 12 leaves room for ties.
    top_k: int = 12
    #: Minimum summed gram weight (≈ distinctive shared trigrams) for a pair to be scored
    #: at all; pairs that only share a campaign bypass it.
    min_candidate_mass: float = 2.0

    #: Statistics windows (:mod:`qmgraph.link.windows`): years are linked with the
    #: statistics of a window of consecutive years holding at least this many notices (a
    #: smaller corpus is one window). 20-year synthetic corpus of 10,000 notices: one
    #: window P .987 R .762; 1 (each year alone) .952/.836; 1,000 .977/.839; 2,000
    #: .982/.820; 3,000 .984/.808. Below ~2,000 notices a year's IDF and stock test get
    #: noisy (3 × 1,667 notices alone: P .978 → .964), so 2,000 (decision 0016).
    window_min_notices: int = 2000

    # ------------------------------------------------------------ gram weights
    #: Weights come from an IDF over *units* — one unit per (notice, jurisdiction): the body
    #: and agency part of a notice is one unit, each city/district block group another — so
    #: a copied sentence (in the source unit and a few copying units) keeps its weight while
    #: a stock phrase repeated by every notice and every district (深入贯彻…, 营造…氛围)
    #: goes towards 0. ``w = ln((N+1)/df) / ln((N+1)/2)`` clipped to [floor, 1]: a gram in at
    #: most two units weighs 1.
    weight_floor: float = 0.02
    #: exponent on the weight; 1.5 and 2 over-discount copied text shared by several
    #: units (seed F1 .894 → .867 → .814), so the plain ratio is kept.
    weight_power: float = 1.0

    # ------------------------------------------------------------ stock phrases
    #: A shared stretch (maximal exact common substring, ≥ 5 characters) is a stock phrase,
    #: not evidence of a copy, when the activities holding it spread over at least this many
    #: *effective* sectors (inverse Simpson index of their organizers' sectors). Gram IDF
    #: cannot tell a stock clause from a widely copied action — 严厉打击质量违法行为，维护公平
    #: 竞争的市场秩序 and 打击侵权假冒伪劣商品犯罪集中宣传活动 are both in ~20 % of units — but
    #: copies travel down one sector's line (plus the place blocks that take them, and
    #: parser slips), while stock clauses are used by every sector alike. The stretch is
    #: tested whole, so a rare combination of common pieces (a local sentence copied with
    #: its place, industry and topic) still counts. Synthetic corpus of 300 notices
    #: (after the generator fix): off → P .70 R .83; 2 → .995/.79 (real copies across two
    #: sectors lost; seed F1 .911 → .825); 3 → .97/.85; 4 → .94/.85; 6 → .88/.85. Seeds:
    #: the same F1 .911 at 3–6. Counting distinct sectors instead of effective ones makes one
    #: mis-attributed block enough to turn a sector's action into stock.
    stock_sectors: float = 3.0

    # ------------------------------------------------------------ scoring
    #: A shared stretch counts only when at least this many consecutive grams are shared
    #: (3 trigrams = 5 characters): shorter coincidences (质量安全, 宣传活动) are noise.
    min_run_grams: int = 3
    #: Weights of the score: IDF-weighted share of the shorter text that is copied, the
    #: local alignment ratio (rapidfuzz partial_ratio), and the two boosts.
    w_cover: float = 0.6
    w_align: float = 0.4
    campaign_boost: float = 0.15
    org_boost: float = 0.1
    #: both activities in one notice: the notice's place blocks report under its own plan
    #: (附件2 of a provincial notice: what each city does), so the notice itself is
    #: evidence, like a counterpart organizer.
    notice_boost: float = 0.1

    # ------------------------------------------------------------ grades
    #: verbatim = most of the shorter text copied: ≥ 80 % of its characters in shared
    #: stretches, ≥ 60 % of its distinctive weight, alignment ≥ 0.8, and at least 12
    #: normalized characters (shorter "activities" are headings).
    verbatim_cover: float = 0.8
    verbatim_wcover: float = 0.6
    verbatim_align: float = 0.8
    verbatim_min_chars: int = 12
    #: …and the two texts of comparable length: the shorter at least this share of the
    #: longer. A short item found inside a long list (or a long list quoting a short item)
    #: is "adapted", not "verbatim" (issue 20).
    verbatim_length_ratio: float = 0.6
    #: adapted via a shared campaign: the campaign plus some shared distinctive text.
    campaign_min_mass: float = 2.0
    #: adapted via an adopted action of the counterpart: a distinctive shared stretch (IDF
    #: mass ≥ 3, longest stretch ≥ 8 characters: 质量标杆经验交流) plus a counterpart/sector
    #: organizer match. Seeds: mass 6 → F1 .876, 3 → .887 (two more partial pairs, one
    #: more neutral-free spurious pair); 2 adds spurious pairs.
    adapted_min_mass: float = 3.0
    adapted_min_run_chars: int = 8
    #: without an organizer match or campaign, a shared stretch must be more distinctive to
    #: count as adopted (a city block taking a provincial agency's action: QC小组优秀成果发布交流).
    #: Seeds: 12/14 → F1 .869, 8/10 → .887, 7/10 and 8/8 the same as 8/10, 10/10 → .857.
    #: Mass 8 was needed while stock clauses counted (a 20-character purpose clause alone
    #: carries mass ≈ 5); with them dropped (``stock_sectors``) a city block's adapted copy
    #: of a widely copied action (whose grams IDF discounts: mass 4–6 over 16–19 shared
    #: characters) is reachable. Synthetic 300/1,000 notices: 8 → R .847/.829, 5 → .863/.840,
    #: 4 → .870/.849, precision the same (.971/.977); seeds .911 at 3–8, run 14 → .893.
    #: 5 is kept, not 4: the seeds do not ask for it and real text is less regular.
    adopted_min_mass: float = 5.0
    adopted_min_run_chars: int = 10
    #: adapted within one notice (a city block under its own province's plan, issue 20): a
    #: shared stretch of ≥ 6 characters and IDF mass ≥ 2.5 (开展质量强县（市、区）培育建设
    #: 共享合作交流活动 → 开展质量强县培育建设经验交流等活动). Seeds (with the second-source
    #: rule of ``best_per_level`` and ``notice_min_density``): mass 2.5 → mirrors P .969
    #: R .969, 3 and 4 → .969/.954 (宜宾's 质量管理小组, mass 2.57, lost); synthetic 1,000
    #: notices P .9641 at each, R .8011 / .8011 / .8001.
    notice_min_mass: float = 2.5
    notice_min_run_chars: int = 6
    #: …and shared grams of mean IDF weight ≥ 0.5: a stock formula repeated through a
    #: notice is long but light (mean ≈ 0.25 in the linker's synthetic corpus, where every
    #: such pair was wrong; the seeds' true same-notice pairs weigh 0.64–0.88, 河北区's
    #: 产品质量安全宣传活动 ← 农产品质量安全宣传活动 0.45). Seeds: 0.3/0.4 → mirrors P .955,
    #: 0.5/0.6 → .969 (R .969 throughout); synthetic 1,000 notices 0.3/0.4/0.5/0.6 →
    #: R .8090/.8018/.8011/.7998 (P .9645, then .9641).
    notice_min_density: float = 0.5
    #: a short activity mostly taken from the higher one (实施制造业卓越质量行动 ←
    #: 实施制造业卓越质量工程，…): half its characters in shared stretches, IDF mass ≥ 4
    #: and a stretch of ≥ 6 characters.
    short_copy_cover: float = 0.5
    short_copy_mass: float = 4.0
    short_copy_run: int = 6
    #: links scoring below this are dropped whatever their grade.
    min_score: float = 0.2
