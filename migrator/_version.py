"""The one version string: the package's ``__version__``, the manifest's generator, the
User-Agent, and (read by setuptools, see ``pyproject.toml``) the distribution's version."""

__version__ = "0.1.0"
