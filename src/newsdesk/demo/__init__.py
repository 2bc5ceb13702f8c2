"""The bundled offline demo: a small multilingual sample news site served from 127.0.0.1."""
