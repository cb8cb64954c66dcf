defmodule DalaOta.Test.Beams do
  @moduledoc "Compiles Erlang source to `.beam` bytes at test time, without loading them."

  @doc "The bytes of `source` compiled (the module name comes from the source)."
  @spec compile(binary) :: binary
  def compile(source) do
    {:ok, tokens, _} = :erl_scan.string(String.to_charlist(source))

    forms =
      split(tokens, [], [])
      |> Enum.map(fn form ->
        {:ok, f} = :erl_parse.parse_form(form)
        f
      end)

    {:ok, _module, bytes} = :compile.forms(forms, [:binary, :return_errors])
    bytes
  end

  @doc """
  A module `name` whose `version/0` returns `value`, plus optional `{exports, source}` (the
  source of the exported functions).
  """
  @spec versioned(atom, term, {binary, binary} | nil) :: binary
  def versioned(name, value, extra \\ nil) do
    {exports, body} = extra || {"", ""}

    compile("""
    -module('#{name}').
    -export([version/0#{if exports != "", do: ", " <> exports, else: ""}]).
    version() -> #{inspect(value)}.
    #{body}
    """)
  end

  defp split([{:dot, _} = dot | rest], form, forms),
    do: split(rest, [], [Enum.reverse([dot | form]) | forms])

  defp split([token | rest], form, forms), do: split(rest, [token | form], forms)
  defp split([], [], forms), do: Enum.reverse(forms)
end
