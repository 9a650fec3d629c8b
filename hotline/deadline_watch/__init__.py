"""The deadline watch: the periodic jobs that warn, mark overdue and supervise orders whose
clock has run (``deadlines``), that do the same for sign-for (``sign_for``), and that
escalate supervisions left unanswered (``supervision``). Each step taken is a
``DeadlineMark`` row (a model of the jobs app), inserted with the step's effects."""
