"""Sphinx configuration of the course website.

`make site` (cramplab_tools.site) copies this folder beside the staged notebooks, pages and
mermaid, and builds there; read that module first. Paths here stay relative to this folder:
Sphinx hashes these values into the site's .buildinfo, which must not depend on the clone.
"""

from cramplab_tools.mermaid import ENTRY, folder_name

project = "cramplab"
author = "the cramplab authors"
copyright = "the cramplab authors; course content CC BY 4.0, code MIT"  # no year: no build date
language = "en"

# githubpages writes .nojekyll: else GitHub Pages, serving a branch, hides _static/ and _images/.
extensions = ["myst_nb", "sphinxcontrib.mermaid", "sphinx.ext.githubpages"]
root_doc = "index"

# Stored outputs only: the site never runs a notebook (make site stages them, tags mapped).
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
myst_fence_as_directive = ["mermaid"]  # a ```mermaid fence in a markdown cell draws a diagram

# Mermaid from the copy make site puts in _static/ (cramplab_tools.mermaid), never a CDN.
mermaid_use_local = f"{folder_name()}/{ENTRY}"
mermaid_fullscreen = False  # its button and styles are not needed for one small diagram
html_static_path = ["_static"]

html_theme = "sphinx_book_theme"
html_title = "cramplab"
html_favicon = "_static/favicon.svg"  # else the browser asks for /favicon.ico: a 404 error
html_context = {"default_mode": "light"}  # else pydata-sphinx-theme logs "invalid theme mode"
html_copy_source = False  # no _sources/: the raw notebooks hold the instructor notes
html_show_sourcelink = False
html_last_updated_fmt = None  # no build date in the pages
html_theme_options = {
    "home_page_in_toc": True,
    "use_download_button": False,  # it would offer the raw notebooks
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "navbar_persistent": [],  # else pydata-sphinx-theme 0.20 adds a second search field
}
