"""Follow and alert: rules over what the store gains, detected once and delivered exactly once.

``rules`` holds what a rule is; ``detect`` finds a rule's events in plain facts the store reads;
``quiet`` says when quiet hours end; ``signing``, ``webhook`` and ``email`` send; ``outbox`` delivers
what detection wrote; ``run`` evaluates every rule once, then delivers (see docs/alerts.md).
"""
