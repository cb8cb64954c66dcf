defmodule DalaOta.CrashReport do
  @moduledoc """
  Describes a crash for the log without any value it carried. A stack trace's top frame holds
  the arguments of the call that failed, and an exception's message or an exit reason can hold
  values too; during a session those can be the session cookie or key material. So only the
  exception's type (or the reason's tag) and the frames as `Module.function/arity` are told.
  """

  @doc "One line for `kind` and `reason`, and the frames of `stacktrace` without arguments."
  @spec describe(:error | :exit | :throw, term, Exception.stacktrace()) :: binary
  def describe(kind, reason, stacktrace \\ []) do
    frames =
      stacktrace
      |> Enum.take(20)
      |> Enum.map_join("", fn entry ->
        "\n    " <> Exception.format_stacktrace_entry(arity(entry))
      end)

    banner(kind, reason) <> frames
  end

  defp banner(:error, %{__exception__: true} = e), do: "** (#{inspect(e.__struct__)})"
  defp banner(:error, reason), do: "** (error) " <> tag(reason)
  defp banner(:exit, {reason, [_ | _] = stack}) when is_list(stack), do: banner(:exit, reason)
  defp banner(:exit, %{__exception__: true} = e), do: "** (exit) #{inspect(e.__struct__)}"
  defp banner(kind, reason), do: "** (#{kind}) " <> tag(reason)

  # An atom is a name, not a value; a tuple is told by its tag only.
  defp tag(atom) when is_atom(atom), do: inspect(atom)

  defp tag(tuple) when is_tuple(tuple) and tuple_size(tuple) > 0 and is_atom(elem(tuple, 0)),
    do: "{#{inspect(elem(tuple, 0))}, ...}"

  defp tag(_), do: "(a value)"

  defp arity({m, f, args, location}) when is_list(args), do: {m, f, length(args), location}
  defp arity(entry), do: entry
end
