"""The encounter state machine: which action is allowed in which state, and where it leads."""

from enum import StrEnum

from companion.store.errors import IllegalTransition


class State(StrEnum):
    """Encounter lifecycle states, in the order a normal consult walks through them."""

    created = "created"
    transcript = "transcript"
    drafted = "drafted"
    approved = "approved"
    written = "written"
    partially_written = "partially_written"
    closed = "closed"


# action -> states it may start from. Revising is allowed before a draft exists (a clinician can write the note
# by hand) and after approval (the approval is superseded; a new one is needed before any fill).
ALLOWED_FROM: dict[str, frozenset[State]] = {
    "append_transcript": frozenset({State.created, State.transcript, State.drafted}),
    "draft": frozenset({State.transcript, State.drafted}),
    "revise": frozenset({State.created, State.transcript, State.drafted, State.approved}),
    "approve": frozenset({State.drafted}),
    # from `written` too: a later report for the same approval (the clinician's append/replace answer for a field
    # that already held text was reported as `skipped`, which leaves the encounter `written`)
    "writeback": frozenset({State.approved, State.partially_written, State.written}),
    "close": frozenset(set(State) - {State.closed}),
}

SIMPLE_TARGET: dict[str, State] = {
    "append_transcript": State.transcript,
    "draft": State.drafted,
    "revise": State.drafted,
    "approve": State.approved,
    "close": State.closed,
}

SUCCESS_OUTCOMES = frozenset({"written", "appended", "unchanged"})
NEUTRAL_OUTCOMES = frozenset({"skipped"})


def check(action: str, current: str) -> None:
    """Raise IllegalTransition unless `action` may run in state `current`."""
    if State(current) not in ALLOWED_FROM[action]:
        allowed = ", ".join(sorted(ALLOWED_FROM[action]))
        raise IllegalTransition(
            f"cannot {action.replace('_', ' ')} an encounter in state '{current}' (allowed: {allowed})")


def next_state(action: str, current: str) -> State:
    """The state after a simple action (everything except write-back)."""
    check(action, current)
    return SIMPLE_TARGET[action]


def after_writeback(current: str, outcomes: list[str]) -> State:
    """written if every attempted field succeeded, partially_written if some did, else unchanged (retryable)."""
    check("writeback", current)
    attempted = [o for o in outcomes if o not in NEUTRAL_OUTCOMES]
    succeeded = [o for o in attempted if o in SUCCESS_OUTCOMES]
    if attempted and len(succeeded) == len(attempted):
        return State.written
    if succeeded:
        return State.partially_written
    return State(current)
