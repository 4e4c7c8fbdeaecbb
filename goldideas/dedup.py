"""Duplicates: exact → near → paraphrase, then the policy's representative of each group.

- exact: equal keys (content without punctuation, spaces or width differences);
- near: MinHash LSH candidates over character shingles, checked with rapidfuzz edit similarity;
- paraphrase: TF-IDF neighbours (words and character bigrams) among the near groups, accepted
  when most of the lighter text's characters (weighted by their rarity in the input) occur in
  the other: a paraphrase keeps the proposal's things and actions, whose characters survive
  a change of words (退费 / 退还取暖费, 刷脸 / 人脸识别) where the words themselves do not;
  and clearly more of them than chance would put in a text of the other's size (a letter of
  thousands of characters holds most characters of any short text on its subject); and they
  make a part of the other (a one-line idea does not restate a letter of many proposals).

Near groups are the connected components of the accepted pairs (what union-find gives).
Paraphrase groups are built by leaders: from the most informative text down, each text joins
the best-matching leader it is contained in, or leads a group of its own, so that two distinct
proposals are never joined through a short text that resembles both. Then a text still alone
may join a candidate's group that already holds two or more wordings of one idea, when most of
its characters occur among the group's members (their characters together) and it holds most
of the group's core (the characters every member uses): people who repeat a popular idea say
it in many ways, and each wording brings words a later one may reuse, while the core keeps out
a text on the same service that proposes another measure. Never compares all pairs:
candidates come from LSH buckets and a chunked sparse neighbour search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .config import DedupConfig
from .near import near_groups, near_scores
from .reasons import Reason
from .vectors import term_matrix, tfidf

_CHUNK = 2048


class Row(NamedTuple):
    """What dedup needs of one row (a named tuple: made five times faster than a frozen dataclass)."""

    key: str  # content without punctuation or spaces
    words: tuple[str, ...]  # content words
    order: tuple[str, str]  # tie-break: (submitted_at, natural id)


@dataclass(frozen=True)
class DuplicateLink:
    representative: int
    reason: Reason
    similarity: float


def _analyzer(row_words: tuple[str, ...], key: str) -> list[str]:
    bigrams = [key[i : i + 2] for i in range(len(key) - 1)]
    return [*("w:" + w for w in row_words), *("c:" + g for g in bigrams)]


def paraphrase_vectors(rows: Sequence[Row]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF over content words and character bigrams."""
    docs = [_analyzer(r.words, r.key) for r in rows]
    if not any(docs):
        return sparse.csr_matrix((len(rows), 1), dtype=np.float32)
    return tfidf(docs)


def neighbour_pairs(x: sparse.csr_matrix, threshold: float, k: int) -> dict[tuple[int, int], float]:
    """Pairs (i < j) whose cosine is at least ``threshold``, up to ``k`` per row."""
    found: dict[tuple[int, int], float] = {}
    xt = x.T.tocsc()
    for start in range(0, x.shape[0], _CHUNK):
        sims = (x[start : start + _CHUNK] @ xt).tocsr()
        sims.data[sims.data < threshold] = 0
        sims.eliminate_zeros()
        for offset in range(sims.shape[0]):
            i = start + offset
            lo, hi = sims.indptr[offset], sims.indptr[offset + 1]
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            keep = cols != i
            cols, vals = cols[keep], vals[keep]
            if len(vals) > k:
                top = np.argsort(-vals, kind="stable")[:k]
                cols, vals = cols[top], vals[top]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                pair = (min(i, j), max(i, j))
                found[pair] = max(found.get(pair, 0.0), float(v))
    return found


def char_set(words: Sequence[str]) -> frozenset[str]:
    """The distinct Chinese characters of a row's content words (digits and Latin letters are
    left to the edit similarity of the near stage)."""
    return frozenset(c for w in words for c in w if "\u4e00" <= c <= "\u9fff")


def char_vectors(rows: Sequence[Row]) -> sparse.csr_matrix:
    """Rows × characters: each character of a row's content words, weighted by its smoothed
    inverse document frequency over the input itself (common characters weigh little)."""
    x = term_matrix([char_set(r.words) for r in rows], binary=True)
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((x.shape[0] + 1) / (df + 1)) + 1
    x.data = idf[x.indices].astype(np.float32)
    return x


def char_containment(x: sparse.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """For each pair (i, j) of an (m, 2) array, the weighted share of the lighter row's
    characters found in the other (0..1).

    "暖气不热能不能按天退钱" shares few words with "供暖不达标按天数退还取暖费", but most of its
    rare characters (暖, 退, 天, 费 …).
    """
    if not len(pairs):
        return np.zeros(0)
    mass = np.asarray(x.sum(axis=1), dtype=np.float64).ravel()
    shared = x[pairs[:, 0]].multiply(x[pairs[:, 1]]).sqrt()  # a shared character: w·w → w
    lighter = np.minimum(mass[pairs[:, 0]], mass[pairs[:, 1]])
    total = np.asarray(shared.sum(axis=1), dtype=np.float64).ravel()
    share: np.ndarray = np.divide(total, lighter, out=np.zeros(len(pairs)), where=lighter > 0)
    return share


def _chance_mass(m: sparse.csr_matrix, others: np.ndarray, n: int, times: np.ndarray) -> np.ndarray:
    """For each row k of ``m``, the weight of its columns expected in a text the size of
    ``times[k]`` average texts, a column occurring in ``others`` of the n - 2 other texts."""
    q = np.clip(others[m.indices] / (n - 2), 0.0, 1.0)
    with np.errstate(divide="ignore"):
        present = -np.expm1(np.repeat(times, np.diff(m.indptr)) * np.log1p(-q))  # 1 - (1 - q)^t
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    mass: np.ndarray = np.bincount(row, m.data * present, m.shape[0])
    return mass


def chance_share(x: sparse.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """For each pair (light, heavy) of an (m, 2) array, the weighted share of the light row's
    characters that a text of the heavy row's size would hold by chance (0..1).

    A character in a share q of the other texts (the pair left out) occurs in a text the size
    of t average texts with probability 1 - (1 - q)^t: a letter of thousands of characters
    holds most characters of any short text on its subject, whatever its matter.
    """
    n = x.shape[0]
    if not len(pairs) or n <= 2:
        return np.zeros(len(pairs))
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    sizes = np.diff(x.indptr)
    light, heavy = x[pairs[:, 0]], x[pairs[:, 1]]
    times = sizes[pairs[:, 1]] / max(float(sizes.mean()), 1.0)
    both = light.multiply(heavy.astype(bool)).tocsr()  # the light row's characters the heavy one has
    # the light row leaves every count, the heavy row the counts of the characters it has
    chance = (_chance_mass(light, df - 1, n, times)
              + _chance_mass(both, df - 2, n, times) - _chance_mass(both, df - 1, n, times))
    mass = np.asarray(light.sum(axis=1), dtype=np.float64).ravel()
    share: np.ndarray = np.clip(np.divide(chance, mass, out=np.zeros(len(pairs)), where=mass > 0), 0, 1)
    return share


def beyond_chance(x: sparse.csr_matrix, pairs: np.ndarray, contained: np.ndarray) -> np.ndarray:
    """Each pair's containment less the share a text of the heavier row's size would hold by
    chance (:func:`chance_share`): what the heavier text says of the lighter one's matter."""
    mass = np.asarray(x.sum(axis=1), dtype=np.float64).ravel()
    swap = mass[pairs[:, 0]] > mass[pairs[:, 1]]
    excess: np.ndarray = contained - chance_share(x, np.where(swap[:, None], pairs[:, ::-1], pairs))
    return excess


def heavier_share(x: sparse.csr_matrix, pairs: np.ndarray, contained: np.ndarray) -> np.ndarray:
    """For each pair of an (m, 2) array with its :func:`char_containment`, the weighted share of
    the heavier row's characters found in the lighter one (0..1): the shared weight over the
    heavier row's weight rather than the lighter's.

    "建议首批发票免费邮寄" is all in a letter that also asks for one-day registration, free seals
    and a bank account opened online, but holds little of that letter.
    """
    mass = np.asarray(x.sum(axis=1), dtype=np.float64).ravel()
    a, b = mass[pairs[:, 0]], mass[pairs[:, 1]]
    heavier = np.maximum(a, b)
    share: np.ndarray = np.divide(
        contained * np.minimum(a, b), heavier, out=np.zeros(len(pairs)), where=heavier > 0
    )
    return share


def paraphrase_scores(
    x: sparse.csr_matrix, pairs: np.ndarray, contained: np.ndarray,
    cosines: dict[tuple[int, int], float], config: DedupConfig,
) -> dict[tuple[int, int], float]:
    """The candidate pairs (the keys of ``cosines`` in order, as ``pairs``, with their
    :func:`char_containment`) that are paraphrases, each with its score (cosine + containment):
    the lighter text says enough (``min_paraphrase_chars`` distinct characters), most of it is
    found in the other, more of it than chance would put in a text of the other's size
    (``min_beyond_chance``: a long letter holds most characters of a short text on its subject),
    and it holds a part of the other (``min_heavier_share``: a one-line idea restates no letter
    of many proposals, even where the letter makes its proposal too)."""
    if not len(pairs):
        return {}
    chars = np.diff(x.indptr)
    enough = np.minimum(chars[pairs[:, 0]], chars[pairs[:, 1]]) >= config.min_paraphrase_chars
    accepted = np.flatnonzero(enough & (contained >= config.char_containment_threshold))
    covered = heavier_share(x, pairs[accepted], contained[accepted])
    accepted = accepted[covered >= config.min_heavier_share]
    excess = beyond_chance(x, pairs[accepted], contained[accepted])
    accepted = accepted[excess >= config.min_beyond_chance]
    found = [(int(pairs[k, 0]), int(pairs[k, 1]), float(contained[k])) for k in accepted.tolist()]
    return {(i, j): cosines[(i, j)] + share for i, j, share in found}


def leader_groups(order: Sequence[int], scores: dict[tuple[int, int], float]) -> np.ndarray:
    """Group label of each node: visiting nodes in ``order`` (most informative first), a node
    joins the best-scoring earlier leader it is paired with, or becomes a leader itself.

    Unlike connected components, two leaders are never joined through a third node that
    resembles both: each node picks one group, and only leaders recruit.
    """
    rank = np.empty(len(order), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    partners: dict[int, list[tuple[float, int]]] = {}
    for (i, j), score in scores.items():
        partners.setdefault(i, []).append((score, j))
        partners.setdefault(j, []).append((score, i))
    label = np.full(len(order), -1, dtype=np.int64)
    for node in order:
        leaders = [(score, -int(rank[j]), j) for score, j in partners.get(node, ())
                   if rank[j] < rank[node] and label[j] == j]
        label[node] = max(leaders)[2] if leaders else node
    return label


def group_vocabulary(label: np.ndarray, x: sparse.csr_matrix) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Two group label × column matrices of 0/1: the columns (characters) some member of the
    group has, and those every member has (the group's core)."""
    n = len(label)
    members = sparse.csr_matrix(
        (np.ones(n, dtype=np.float32), (label, np.arange(n))), shape=(n, n)
    )
    present = x.copy()
    present.data[:] = 1
    counts: sparse.csr_matrix = (members @ present).tocsr()
    size = np.bincount(label, minlength=n)
    core = counts.copy()
    core.data = (core.data >= np.repeat(size, np.diff(core.indptr))).astype(np.float32)
    core.eliminate_zeros()
    counts.data[:] = 1
    return counts, core


def _weighted_share(x: sparse.csr_matrix, rows: np.ndarray, of: sparse.csr_matrix) -> np.ndarray:
    """For each k, the weight of the columns of ``x[rows[k]]`` that row k of ``of`` holds (0/1),
    as a share of the weight of ``x[rows[k]]``."""
    mass = np.asarray(x[rows].sum(axis=1), dtype=np.float64).ravel()
    inside = np.asarray(x[rows].multiply(of).sum(axis=1), dtype=np.float64).ravel()
    share: np.ndarray = np.divide(inside, mass, out=np.zeros(len(rows)), where=mass > 0)
    return share


def join_groups(
    label: np.ndarray, x: sparse.csr_matrix, pairs: np.ndarray, config: DedupConfig
) -> np.ndarray:
    """Labels after each text left alone joins its best group of two or more wordings.

    A candidate pair (``pairs``) proposes the group of one side to the other side when that
    side is alone and both say enough (``min_paraphrase_chars``). The text joins when
    ``group_join_threshold`` of its characters (weighted as in :func:`char_vectors`) occur
    among the group's members and it holds ``group_core_share`` of the group's core (the
    characters every wording of the idea uses: what a text on the same service proposing
    another measure lacks). A group whose members use more than ``group_max_chars`` distinct
    characters together (long letters) holds most characters of any text on its subject, so
    it takes no one this way. Only texts alone move and groups never merge: no chain forms.
    """
    if not len(pairs):
        return label
    size = np.bincount(label, minlength=len(label))
    chars = np.diff(x.indptr)
    alone, other = np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])
    proposed = (
        (size[label[alone]] == 1) & (size[label[other]] >= 2)
        & (np.minimum(chars[alone], chars[other]) >= config.min_paraphrase_chars)
    )
    if not proposed.any():
        return label
    found = np.unique(np.column_stack([alone[proposed], label[other[proposed]]]), axis=0)
    texts, groups = found[:, 0], found[:, 1]
    vocabulary, core = group_vocabulary(label, x)
    weights = np.zeros(x.shape[1], dtype=np.float32)
    weights[x.indices] = x.data  # a column's weight is the same in every row
    core_weighted = sparse.csr_matrix(core @ sparse.diags(weights))
    present = x[texts]
    present.data[:] = 1
    covered = _weighted_share(core_weighted, groups, present)
    share = _weighted_share(x, texts, vocabulary[groups])
    small = np.diff(vocabulary.indptr)[groups] <= config.group_max_chars
    ok = np.flatnonzero(
        small & (share >= config.group_join_threshold) & (covered >= config.group_core_share)
    )
    best = ok[np.lexsort((groups[ok], -share[ok], texts[ok]))]  # by text, best share first
    first = best[np.r_[True, texts[best][1:] != texts[best][:-1]]] if len(best) else best
    joined = label.copy()
    joined[texts[first]] = groups[first]
    return joined


def _member_pairs(
    label: np.ndarray, rows: Sequence[Row], of_row: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(representative, member) rows of each group of two or more: ``label`` is the group of
    each row whose key is not empty (``of_row`` >= 0). Groups come in the order of their first
    row, members in row order; the representative is the most informative member (the longest
    key), ties to the earliest (``Row.order``)."""
    valid = np.flatnonzero(of_row >= 0)
    _, first, counts = np.unique(label, return_index=True, return_counts=True)
    members = valid[np.argsort(label, kind="stable")]  # grouped by label, each in row order
    starts = np.cumsum(counts) - counts
    reps: list[int] = []
    dups: list[int] = []
    by_first = np.argsort(first, kind="stable")
    for g in by_first[counts[by_first] > 1].tolist():
        group = members[starts[g] : starts[g] + counts[g]].tolist()
        informative = [(-len(rows[i].key), rows[i].order) for i in group]
        rep = group[informative.index(min(informative))]
        reps.extend([rep] * (len(group) - 1))
        dups.extend(i for i in group if i != rep)
    return np.asarray(reps, dtype=np.int64), np.asarray(dups, dtype=np.int64)


def _unique_keys(rows: Sequence[Row]) -> tuple[list[int], np.ndarray]:
    """First row of each distinct non-empty key, and each row's index into that list (-1: empty)."""
    first: dict[str, int] = {}
    of_row = np.full(len(rows), -1, dtype=np.int64)
    uniques: list[int] = []
    for i, row in enumerate(rows):
        if row.key:
            u = first.setdefault(row.key, len(uniques))
            if u == len(uniques):
                uniques.append(i)
            of_row[i] = u
    return uniques, of_row


def _paraphrase_groups(reps: list[Row], config: DedupConfig) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Paraphrase group label of each row, and the rows' weighted characters."""
    vectors = paraphrase_vectors(reps)
    cosines = neighbour_pairs(vectors, config.candidate_threshold, config.neighbours)
    chars = char_vectors(reps)
    pairs = np.asarray(list(cosines), dtype=np.int64).reshape(-1, 2)
    contained = char_containment(chars, pairs)
    scores = paraphrase_scores(chars, pairs, contained, cosines, config)
    order = sorted(range(len(reps)), key=lambda i: (-len(reps[i].key), reps[i].order))
    return join_groups(leader_groups(order, scores), chars, pairs, config), chars


def _stand_ins(near: np.ndarray, keys: list[str]) -> list[int]:
    """For each near group (in label order) its most informative member."""
    best: dict[int, int] = {}
    for u, label in enumerate(near.tolist()):
        if label not in best or len(keys[u]) > len(keys[best[label]]):
            best[label] = u
    return [best[label] for label in sorted(best)]


def _links(
    keys: list[str], reps: np.ndarray, dups: np.ndarray, of_row: np.ndarray, slot: np.ndarray,
    chars: sparse.csr_matrix, config: DedupConfig, workers: int,
) -> dict[int, DuplicateLink]:
    """The reason and similarity of each (representative, member) pair of rows: the edit
    similarity of a near duplicate; for a paraphrase the share of the lighter text's weighted
    characters found in the other (:func:`char_containment`, what the decision rests on), or
    the edit similarity where that is higher. ``of_row``: each row's key (into ``keys``),
    ``slot``: each key's row of ``chars``."""
    # links are immutable: one object for each representative, reason and similarity
    made: dict[tuple[int, Reason, float], DuplicateLink] = {}

    def link(rep: int, reason: Reason, similarity: float) -> DuplicateLink:
        found = made.get((rep, reason, similarity))
        if found is None:
            found = made[(rep, reason, similarity)] = DuplicateLink(rep, reason, similarity)
        return found

    key_rep, key_dup = of_row[reps], of_row[dups]
    exact = key_rep == key_dup
    links = {dup: link(rep, Reason.EXACT_DUPLICATE, 1.0)
             for rep, dup in zip(reps[exact].tolist(), dups[exact].tolist(), strict=True)}
    pending = np.flatnonzero(~exact)
    if not len(pending):
        return links
    # rows with equal keys score the same, and a pair of keys has one representative (keys
    # fix the group): each pair of keys is compared and linked once
    _, first, of_pending = np.unique(key_rep[pending] * len(keys) + key_dup[pending],
                                     return_index=True, return_inverse=True)
    rep_keys, dup_keys = key_rep[pending[first]], key_dup[pending[first]]
    edit = near_scores([keys[u] for u in rep_keys.tolist()], [keys[u] for u in dup_keys.tolist()],
                       config.near_threshold, workers)
    contained = char_containment(chars, np.column_stack([slot[rep_keys], slot[dup_keys]]))
    made_for_pair = [
        link(rep, Reason.NEAR_DUPLICATE, round(e, 3)) if e >= config.near_threshold
        else link(rep, Reason.PARAPHRASE, round(max(c, e), 3))
        for rep, e, c in zip(reps[pending[first]].tolist(), edit.tolist(), contained.tolist(), strict=True)
    ]
    links.update(zip(dups[pending].tolist(), [made_for_pair[k] for k in of_pending.ravel().tolist()],
                     strict=True))
    return links


def find_duplicates(rows: Sequence[Row], config: DedupConfig, workers: int = 1) -> dict[int, DuplicateLink]:
    """Map each non-representative member of a duplicate group to its representative; the
    edit similarities of many pairs are computed on ``workers`` processes."""
    if len(rows) < 2:  # a lone idea (triage) has nothing to repeat
        return {}
    uniques, of_row = _unique_keys(rows)
    keys = [rows[i].key for i in uniques]
    near = near_groups(keys, config, workers)
    stand_ins = _stand_ins(near, keys)
    para, chars = _paraphrase_groups([rows[uniques[u]] for u in stand_ins], config)
    # slot: the row of ``chars`` that stands for a key's near group (stand-ins in label order)
    slot = np.searchsorted(np.unique(near), near)
    reps, dups = _member_pairs(para[slot[of_row[of_row >= 0]]], rows, of_row)
    return _links(keys, reps, dups, of_row, slot, chars, config, workers)
