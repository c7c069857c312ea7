"""A procure-to-pay (P2P) process model with 13 activities, random parameters, and its language.

The BPAD benchmark (Guan et al., IEEE TKDE 37(1), 2025) generates its logs from PLG2 process
models; its P2P model has 13 activities. That model file is not available to us, so this module
builds one from the description: a block-structured process tree (sequence, exclusive choice,
parallel block, loop) over the usual P2P activities, with

* branch weights drawn per model (integers 1…``probability_variance_max``, like PLG2),
* *activity dependencies*: with probability ``activity_dependency_p`` an exclusive choice does not
  draw its branch independently but from a weight table keyed by the branch taken at the
  previous choice in the same case (long-range dependencies a model must learn),
* loops that repeat at most ``MAX_LOOP`` times, so the language is finite and can be listed
  (:meth:`ProcessModel.language`), which the anomaly injectors use to make sure an injected
  anomaly is really outside the model.

Everything is drawn from a :class:`numpy.random.Generator`, so one seed gives one model.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "MAX_LOOP",
    "P2P_ACTIVITIES",
    "And",
    "Choice",
    "Loop",
    "Node",
    "ProcessModel",
    "Seq",
    "Task",
    "p2p_model",
]

#: Upper bound of loop iterations (the body runs 1…MAX_LOOP times).
MAX_LOOP = 3

P2P_ACTIVITIES = (
    "Create Purchase Requisition",
    "Analyze Purchase Requisition",
    "Create Request for Quotation",
    "Analyze Quotation",
    "Create Purchase Order",
    "Approve Purchase Order",
    "Amend Purchase Order",
    "Send Purchase Order",
    "Receive Goods",
    "Receive Invoice",
    "Verify Invoice",
    "Pay Invoice",
    "Close Purchase Order",
)


@dataclass(frozen=True)
class Task:
    """One activity."""

    name: str


@dataclass(frozen=True)
class Seq:
    """Children one after another."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Choice:
    """Exactly one child (``None`` = skip). ``index`` numbers the choices of a model."""

    children: tuple[Node | None, ...]
    index: int


@dataclass(frozen=True)
class And:
    """All children, their events interleaved in any order."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Loop:
    """``body`` then, with probability ``redo_p``, ``redo`` and ``body`` again (bounded)."""

    body: Node
    redo: Node | None
    index: int


Node = Task | Seq | Choice | And | Loop


@dataclass
class _CaseState:
    rng: np.random.Generator
    last_choice: int = -1  # branch taken at the previous choice in this case
    events: list[str] = field(default_factory=list)


@dataclass
class ProcessModel:
    """A process tree with its drawn parameters."""

    root: Node
    activities: tuple[str, ...]
    #: per choice index: weights (independent choice) or a table per previous branch
    choice_weights: dict[int, np.ndarray]
    choice_tables: dict[int, dict[int, np.ndarray]]
    loop_redo_p: dict[int, float]

    def simulate(self, rng: np.random.Generator) -> list[str]:
        """One case's activity sequence."""
        state = _CaseState(rng)
        self._run(self.root, state)
        return state.events

    def _run(self, node: Node, state: _CaseState) -> None:
        if isinstance(node, Task):
            state.events.append(node.name)
        elif isinstance(node, Seq):
            for child in node.children:
                self._run(child, state)
        elif isinstance(node, Choice):
            table = self.choice_tables.get(node.index)
            weights = (
                table.get(state.last_choice, self.choice_weights[node.index])
                if table is not None
                else self.choice_weights[node.index]
            )
            branch = int(state.rng.choice(len(node.children), p=weights / weights.sum()))
            state.last_choice = branch
            chosen = node.children[branch]
            if chosen is not None:
                self._run(chosen, state)
        elif isinstance(node, And):
            parts: list[list[str]] = []
            for child in node.children:
                sub = _CaseState(state.rng, state.last_choice)
                self._run(child, sub)
                state.last_choice = sub.last_choice
                parts.append(sub.events)
            state.events.extend(_random_interleave(parts, state.rng))
        else:
            self._run(node.body, state)
            for _ in range(MAX_LOOP - 1):
                if state.rng.random() >= self.loop_redo_p[node.index]:
                    break
                if node.redo is not None:
                    self._run(node.redo, state)
                self._run(node.body, state)

    def language(self) -> frozenset[tuple[str, ...]]:
        """Every activity sequence the model can produce (finite: loops are bounded)."""
        return frozenset(_traces(self.root))


def _random_interleave(parts: list[list[str]], rng: np.random.Generator) -> list[str]:
    slots = [i for i, part in enumerate(parts) for _ in part]
    order = rng.permutation(len(slots))
    queues = [iter(part) for part in parts]
    return [next(queues[slots[k]]) for k in order]


def _traces(node: Node | None) -> Iterator[tuple[str, ...]]:
    if node is None:
        yield ()
    elif isinstance(node, Task):
        yield (node.name,)
    elif isinstance(node, Seq):
        for combo in itertools.product(*(list(set(_traces(c))) for c in node.children)):
            yield tuple(itertools.chain.from_iterable(combo))
    elif isinstance(node, Choice):
        for child in node.children:
            yield from _traces(child)
    elif isinstance(node, And):
        for combo in itertools.product(*(list(set(_traces(c))) for c in node.children)):
            yield from _interleavings(combo)
    else:
        bodies = list(set(_traces(node.body)))
        redos = list(set(_traces(node.redo)))
        for times in range(1, MAX_LOOP + 1):
            pieces: list[list[tuple[str, ...]]] = [bodies]
            for _ in range(times - 1):
                pieces += [redos, bodies]
            for combo in itertools.product(*pieces):
                yield tuple(itertools.chain.from_iterable(combo))


def _interleavings(parts: Sequence[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    live = [p for p in parts if p]
    if len(live) <= 1:
        yield live[0] if live else ()
        return
    for i, part in enumerate(live):
        rest = [*live[:i], part[1:], *live[i + 1 :]]
        for tail in _interleavings(rest):
            yield (part[0], *tail)


def p2p_model(
    rng: np.random.Generator,
    *,
    activity_dependency_p: float = 0.25,
    probability_variance_max: int = 5,
) -> ProcessModel:
    """The 13-activity P2P model with parameters drawn from ``rng``."""
    t = {name: Task(name) for name in P2P_ACTIVITIES}
    choices = itertools.count()
    loops = itertools.count()
    quotation = Choice(
        (Seq((t["Create Request for Quotation"], t["Analyze Quotation"])), None),
        next(choices),
    )
    approval = Loop(t["Approve Purchase Order"], t["Amend Purchase Order"], next(loops))
    receipt = And(
        (
            t["Receive Goods"],
            Seq((t["Receive Invoice"], Choice((t["Verify Invoice"], None), next(choices)))),
        )
    )
    closing = Choice(
        (
            Seq((t["Pay Invoice"], t["Close Purchase Order"])),
            t["Pay Invoice"],
            t["Close Purchase Order"],
        ),
        next(choices),
    )
    root = Seq(
        (
            t["Create Purchase Requisition"],
            Choice((t["Analyze Purchase Requisition"], None), next(choices)),
            quotation,
            t["Create Purchase Order"],
            approval,
            t["Send Purchase Order"],
            receipt,
            closing,
        )
    )
    sizes = _choice_sizes(root)
    weights = {
        i: rng.integers(1, probability_variance_max + 1, size=n).astype(float)
        for i, n in sizes.items()
    }
    tables: dict[int, dict[int, np.ndarray]] = {}
    for i, n in sizes.items():
        if i > 0 and rng.random() < activity_dependency_p:
            previous = sizes[i - 1]
            tables[i] = {
                b: rng.integers(1, probability_variance_max + 1, size=n).astype(float) ** 2
                for b in range(previous)
            }
    redo = {i: float(rng.uniform(0.05, 0.3)) for i in range(next(loops))}
    return ProcessModel(root, P2P_ACTIVITIES, weights, tables, redo)


def _choice_sizes(node: Node | None) -> dict[int, int]:
    found: dict[int, int] = {}
    if isinstance(node, Choice):
        found[node.index] = len(node.children)
        for child in node.children:
            found |= _choice_sizes(child)
    elif isinstance(node, Seq | And):
        for child in node.children:
            found |= _choice_sizes(child)
    elif isinstance(node, Loop):
        found |= _choice_sizes(node.body) | _choice_sizes(node.redo)
    return found
