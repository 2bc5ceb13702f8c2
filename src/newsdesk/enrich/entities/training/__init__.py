"""Training newsdesk's own NER pipelines from sentences in the ``ner/`` JSON Lines format.

``convert`` turns the sentences into spaCy Docs (the given tokens and character offsets),
``train`` trains the pipeline that ``ner.cfg`` describes. ``newsdesk models train`` runs it.
"""
