"""The registry of payment provider plugins (after Open Forms' plugin registries).

A plugin registers itself with ``@register``; ``plugin_for(identifier)`` returns an instance ready to
use, or raises ``PluginNotAvailable`` for an unknown plugin or one switched off (the demo plugin
without ``ENABLE_DEMO_PLUGINS``). ``settings.PAYMENT_PLUGIN`` names the plugin new payments use.
"""

from __future__ import annotations

from django.conf import settings

from .plugins.base import BasePlugin


class PluginNotAvailable(LookupError):
    def __init__(self, identifier: str):
        self.identifier = identifier
        super().__init__(f"payment plugin {identifier!r} is unknown or switched off")


class Registry:
    def __init__(self):
        self._plugins: dict[str, type[BasePlugin]] = {}

    def register(self, plugin_class: type[BasePlugin]) -> type[BasePlugin]:
        if plugin_class.identifier in self._plugins:
            raise ValueError(f"payment plugin {plugin_class.identifier!r} is registered twice")
        self._plugins[plugin_class.identifier] = plugin_class
        return plugin_class

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def identifiers(self) -> list[str]:
        return sorted(self._plugins)

    def get(self, identifier: str) -> BasePlugin:
        plugin_class = self._plugins.get(identifier)
        if plugin_class is None or not plugin_class.is_enabled():
            raise PluginNotAvailable(identifier)
        return plugin_class.from_settings()


registry = Registry()
register = registry.register


def plugin_for(identifier: str | None = None) -> BasePlugin:
    """The plugin ``identifier``, or the configured one (``settings.PAYMENT_PLUGIN``)."""
    from justis.breaker import guarded

    # Only the calls that talk to the provider go through the payment provider's circuit breaker.
    return guarded("payment", registry.get(identifier or settings.PAYMENT_PLUGIN), methods=("start", "fetch_status"))
