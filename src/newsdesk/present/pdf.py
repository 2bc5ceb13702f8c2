"""HTML printed to PDF (WeasyPrint: CSS paged media, no browser)."""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it prints with (Pango) are missing."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document that holds everything it shows (styles and charts inline): nothing
    is fetched, so a link or an image address in it is never followed."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango is not installed
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint and the Pango library ({exc}); on Debian or Ubuntu: "
            "apt install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc

    def refuse(url: str) -> dict[str, object]:
        raise ValueError(f"not fetched while printing: {url}")

    return weasyprint.HTML(string=html, url_fetcher=refuse).write_pdf()
