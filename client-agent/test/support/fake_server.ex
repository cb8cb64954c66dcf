defmodule DalaOta.Test.FakeServer do
  @moduledoc """
  The update server's device API, faked behind `DalaOta.Transport.Bridge`: the agent's
  requests arrive as messages, and the test decides the answers. Check-ins are answered by a
  function of the decoded request; events are decoded and kept; bundles are served by URL path.
  `offline: true` makes every request fail as a dead network would.
  """
  use GenServer

  def start_link(opts \\ []), do: GenServer.start_link(__MODULE__, Map.new(opts))

  @doc """
  Changes a setting: `:checkin` (fun), `:bundles` (%{path => bytes}), `:offline`,
  `:event_status`, `:event_body` (what an accepted report is answered with).
  """
  def set(server, key, value), do: GenServer.call(server, {:set, key, value})

  @doc "The events received, decoded, oldest first."
  def events(server), do: GenServer.call(server, :events)

  @doc "The check-in requests received, decoded, oldest first."
  def checkins(server), do: GenServer.call(server, :checkins)

  @doc "How many requests of each path arrived."
  def requests(server), do: GenServer.call(server, :requests)

  @impl true
  def init(opts) do
    {:ok,
     Map.merge(
       %{
         checkin: fn _ -> raise "no check-in answer set" end,
         bundles: %{},
         offline: false,
         events: [],
         checkins: [],
         requests: [],
         event_status: 204
       },
       opts
     )}
  end

  @impl true
  def handle_call({:set, key, value}, _from, state), do: {:reply, :ok, Map.put(state, key, value)}
  def handle_call(:events, _from, state), do: {:reply, Enum.reverse(state.events), state}
  def handle_call(:checkins, _from, state), do: {:reply, Enum.reverse(state.checkins), state}
  def handle_call(:requests, _from, state), do: {:reply, Enum.reverse(state.requests), state}

  @impl true
  def handle_info({:dala_ota_http, from, ref, request}, state) do
    path = URI.parse(request.url).path
    state = %{state | requests: [path | state.requests]}

    {reply, state} =
      if state.offline,
        do: {{:error, {:connect, :econnrefused}}, state},
        else: route(path, request, state)

    send(from, {:dala_ota_http, ref, reply})
    {:noreply, state}
  end

  defp route("/device/v1/checkin", request, state) do
    decoded = :erlang.binary_to_term(request.body)
    {{:ok, 200, [], state.checkin.(decoded)}, %{state | checkins: [decoded | state.checkins]}}
  end

  defp route("/device/v1/events", request, state) do
    case state.event_status do
      204 ->
        {{:ok, 204, [], Map.get(state, :event_body, "")},
         %{state | events: [:erlang.binary_to_term(request.body) | state.events]}}

      status ->
        {{:ok, status, [], ~s({"type":"test_refusal"})}, state}
    end
  end

  defp route(path, _request, state) do
    case Map.fetch(state.bundles, path) do
      {:ok, bytes} -> {{:ok, 200, [], bytes}, state}
      :error -> {{:ok, 404, [], ~s({"type":"not_found"})}, state}
    end
  end
end
