defmodule DalaOta.Reason do
  @moduledoc """
  Turns the agent's `{:error, reason}` terms into the short, printable text the server stores
  with a `failed` or `rolled_back` event (at most 512 characters, as the server accepts).
  """

  @max 512

  @doc "A reason as report text."
  @spec text(term) :: binary
  def text(reason) do
    reason
    |> describe()
    |> String.replace(~r/[\x00-\x1f]/, " ")
    |> String.slice(0, @max)
  end

  defp describe(text) when is_binary(text), do: text
  defp describe(atom) when is_atom(atom), do: Atom.to_string(atom)

  defp describe({:early_crashes, count, window}),
    do:
      "rolled back: the app died within #{window} s of boot #{count} times without confirming the bundle"

  defp describe({:not_confirmed, boots}),
    do: "rolled back: the bundle was not confirmed within #{boots} boots"

  defp describe({kind, problems}) when is_atom(kind) and is_list(problems),
    do: "#{kind}: " <> Enum.map_join(problems, ", ", &problem/1)

  defp describe(other), do: inspect(other, limit: 20, printable_limit: 200)

  defp problem({code, detail}) when is_atom(code) and is_binary(detail), do: "#{code} #{detail}"
  defp problem(code) when is_atom(code), do: Atom.to_string(code)
  defp problem(other), do: inspect(other, limit: 10)
end
