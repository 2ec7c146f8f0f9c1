"""Building the extract stage's own message models without validating them again.

The extractors make many small models (spans, places, mentions, dates) from values they
computed and typed themselves: `construct(Model)` gives a function that builds one as
`Model.model_construct` does (the same fields, defaults and set fields as validation
would give), only faster. For trusted internal values only: nothing is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["construct"]

M = TypeVar("M", bound=BaseModel)
_IMMUTABLE = (type(None), bool, int, float, str, bytes, tuple, frozenset)


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The `__set__` of the data descriptor `object.__setattr__(obj, name, value)` uses for
    an instance of `cls`: the first class of its MRO that defines `name`."""
    for klass in cls.__mro__:
        if name in vars(klass):
            descriptor = vars(klass)[name]
            if not hasattr(descriptor, "__set__"):
                break
            setter: Callable[[Any, Any], None] = descriptor.__set__
            return setter
    raise ValueError(f"{cls.__name__}.{name} is no slot")


def construct(cls: type[M], given: Iterable[str] = ()) -> Callable[..., M]:
    """A function building `cls` from keyword values without validation.

    Only for models whose fields have no aliases and whose defaults are immutable (a
    mutable default would be shared) unless the field is always `given` (as a list of its
    own: validation would copy one): `ValueError` otherwise."""
    template: dict[str, Any] = {}
    always = set(given)
    for name, field in cls.model_fields.items():
        if field.alias not in (None, name) or field.validation_alias is not None:
            raise ValueError(f"{cls.__name__}.{name} has an alias")
        if field.is_required() or name in always:
            template[name] = field.default  # a placeholder: a required field is always given
        elif field.default_factory is not None or not isinstance(field.default, _IMMUTABLE):
            raise ValueError(f"{cls.__name__}.{name} has a mutable default")
        else:
            template[name] = field.default
    if cls.model_config.get("extra") == "allow" or cls.__pydantic_post_init__ or cls.__pydantic_root_model__:
        raise ValueError(f"{cls.__name__} cannot be built this way")
    new = cls.__new__
    # The setters `object.__setattr__` would find for these attributes (the data
    # descriptors of the slots of `BaseModel`), looked up once instead of per model.
    set_dict, set_fields_set, set_extra, set_private = (
        _slot_setter(cls, name)
        for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    )

    def build(**values: Any) -> M:
        model = new(cls)
        set_dict(model, {**template, **values})
        set_fields_set(model, set(values))
        set_extra(model, None)
        set_private(model, None)
        return model

    build.__doc__ = f"A `{cls.__name__}` of trusted values, not validated."
    return build
