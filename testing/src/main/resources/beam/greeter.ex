defmodule Greeter do
  @moduledoc "A small Elixir module: docs, a struct and a protocol implementation."
  defstruct name: "world"

  @doc "Says hello."
  def hello(%Greeter{name: name}), do: "hello, #{name}"

  def version, do: 1
end

defimpl String.Chars, for: Greeter do
  def to_string(greeter), do: Greeter.hello(greeter)
end
