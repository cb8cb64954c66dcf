-module(unicode_atoms).
-export(['héllo'/0, 'κόσμε'/1]).

'héllo'() -> 'wörld'.

'κόσμε'(X) -> {'日本', X}.
