"""What tracking announces to the apps above it (DESIGN.md: a lower app never imports a higher one to tell it
something; it sends a signal and the higher app listens)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `actions.report_progress` inside its transaction, before the task's next follow-up time is recomputed,
# with `task`, `report` (the ProgressReport) and `report_cycle` (the deadline of the report obligation's cycle the
# unit marked it as, or None). The follow-up app records the cycle as met (`dondoc.followup.occurrences`).
progress_reported = Signal()

# Sent by every action of `actions` inside its transaction, after the change and before the row is saved, with
# `task` (its new state). The follow-up app recomputes `task.next_followup_at` (`dondoc.followup.engine.refresh`),
# which the action's save then stores when it changed (`Task.save`: in `TaskSchedule`, a table of its own).
task_changed = Signal()
