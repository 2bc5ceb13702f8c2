"""Enrichment: language, reading time and multilingual embeddings."""
