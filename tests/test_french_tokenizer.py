"""French pipelines read through the language-neutral tokenizer: no spacy.lang.fr at start-up."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from newsdesk.enrich.entities.cleanup import function_words
from newsdesk.enrich.entities.spacy_ner import load_spacy
assert {"les", "qui", "dans"} <= function_words("fr")
nlp = load_spacy("fr_core_news_sm")
doc = nlp("Selon l’AFP, qu’il s’agisse de l'OTAN ou de la SNCF, Vladimir Poutine n’a rien dit.")
print("spacy.lang.fr" in sys.modules, nlp.lang)
print("|".join(t.text for t in doc))
print("|".join(f"{e.text}/{e.label_}" for e in doc.ents))
"""


def test_french_is_read_without_spacys_french_tokenizer() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    imported, tokens, entities = done.stdout.splitlines()
    assert imported == "False xx"
    words = tokens.split("|")
    assert {"l", "’", "AFP", "qu", "s", "'", "OTAN", "n"} <= set(words)  # apostrophes split off
    assert not {"l’AFP", "qu’il", "s’agisse", "l'OTAN", "n’a"} & set(words)
    assert {"AFP/ORG", "OTAN/ORG", "SNCF/ORG", "Vladimir Poutine/PER"} <= set(entities.split("|"))
