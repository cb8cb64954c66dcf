defmodule DalaOta.Events do
  @moduledoc """
  Reports for the server (`downloaded`, `applied`, `confirmed`, `failed`, `rolled_back`, each
  with a sequence and, where there is one, a reason), queued on disk under `events/` so none is
  lost while the device is offline or the app is killed. `flush/3` sends them oldest first and
  stops at the first one the server cannot take now.

  `offered` is recorded by the server itself when it answers a check-in with an update, so the
  agent never sends it.
  """

  alias DalaOta.Store

  # The kinds, and the keys of a queued event: they exist once this module is loaded, so the
  # queue decodes with `[:safe]`.
  @kinds [:downloaded, :applied, :confirmed, :failed, :rolled_back]
  @keys [:kind, :sequence, :reason, :bytes, :at]

  @doc "The kinds of event the agent reports."
  @spec kinds() :: [atom]
  def kinds, do: @kinds

  @doc false
  def keys, do: @keys

  @type kind :: :downloaded | :applied | :confirmed | :failed | :rolled_back
  @type event :: %{
          kind: kind,
          sequence: pos_integer,
          reason: binary | nil,
          bytes: non_neg_integer | nil,
          at: integer
        }

  @doc "Queues an event, dropping the oldest ones beyond `max`."
  @spec enqueue({module, Store.t()}, event, pos_integer) :: :ok | {:error, term}
  def enqueue({store, handle} = st, event, max) do
    {:ok, keys} = list(st)
    next = keys |> List.last() |> number() |> Kernel.+(1)

    keys
    |> Enum.take(max(length(keys) - max + 1, 0))
    |> Enum.each(&store.delete(handle, &1))

    Store.write_term(store, handle, key(next), event)
  end

  @doc """
  Queues a report of `kind` for bundle `seq`, stamped by the configured clock and bounded by
  `max_queued_events`: the one way the agent, its boot and its checks record what happened.
  """
  @spec record(
          {module, Store.t()},
          DalaOta.Config.t(),
          kind,
          pos_integer,
          binary | nil,
          non_neg_integer | nil
        ) :: :ok | {:error, term}
  def record(st, config, kind, seq, reason \\ nil, bytes \\ nil) do
    enqueue(
      st,
      %{kind: kind, sequence: seq, reason: reason, bytes: bytes, at: config.clock.now()},
      config.max_queued_events
    )
  end

  @doc "The queued events, oldest first, with their keys."
  @spec pending({module, Store.t()}) :: [{binary, event}]
  def pending({store, handle} = st) do
    {:ok, keys} = list(st)

    for key <- keys,
        {:ok, %{kind: _, sequence: _} = event} <- [Store.read_term(store, handle, key)] do
      {key, event}
    end
  end

  @doc "How many events wait."
  @spec count({module, Store.t()}) :: non_neg_integer
  def count(st), do: st |> list() |> elem(1) |> length()

  @doc """
  Sends queued events with `send_fun`, which returns `:sent`, `:drop` (the server will never
  take it) or `{:retry, reason}`. Returns how many were sent and, if it stopped early, why.
  """
  @spec flush({module, Store.t()}, (event -> :sent | :drop | {:retry, term})) ::
          {:ok, non_neg_integer} | {:partial, non_neg_integer, term}
  def flush({store, handle} = st, send_fun) do
    Enum.reduce_while(pending(st), {:ok, 0}, fn {key, event}, {:ok, sent} ->
      case send_fun.(event) do
        :sent ->
          store.delete(handle, key)
          {:cont, {:ok, sent + 1}}

        :drop ->
          store.delete(handle, key)
          {:cont, {:ok, sent}}

        {:retry, reason} ->
          {:halt, {:partial, sent, reason}}
      end
    end)
  end

  @doc "The ETF body the server's event endpoint takes."
  @spec body(event, binary, binary) :: binary
  def body(event, channel_key, install_id) do
    %{
      channel_key: channel_key,
      install_id: install_id,
      sequence: event.sequence,
      kind: event.kind
    }
    |> put_if(:reason, event.reason)
    |> put_if(:bytes, event.bytes)
    |> :erlang.term_to_binary()
  end

  defp put_if(map, _key, nil), do: map
  defp put_if(map, key, value), do: Map.put(map, key, value)

  defp list({store, handle}) do
    case store.list(handle, "events/") do
      {:ok, keys} -> {:ok, Enum.filter(keys, &String.ends_with?(&1, ".etf"))}
      {:error, _} -> {:ok, []}
    end
  end

  defp number(nil), do: 0

  defp number("events/" <> name) do
    case Integer.parse(name) do
      {n, ".etf"} -> n
      _ -> 0
    end
  end

  defp key(n), do: "events/" <> String.pad_leading(Integer.to_string(n), 12, "0") <> ".etf"
end
