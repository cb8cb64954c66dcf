defmodule DalaOta.E2E.Mitm do
  @moduledoc """
  A hostile network between end-to-end devices and the real server's HTTP port. Devices are
  configured with its URL; by default it passes every request through. A test switches its
  mode to play an attacker on the path or a dead network:

    * `:pass` - forward as is;
    * `:offline` - accept and drop every connection;
    * `{:bundle, fun}` - forward, then replace a bundle download's body with `fun.(body)`;
    * `:capture_checkin` - forward a check-in, keep the signed answer, tell the device 503;
    * `:replay_checkin` - answer a check-in with the kept answer.

  It also records the paths it saw, so a test can prove a download never happened.
  """
  use GenServer

  alias DalaOta.Transport.Tcp

  def start(upstream), do: GenServer.start(__MODULE__, upstream)

  @doc "The proxy's base URL."
  def url(mitm), do: "http://127.0.0.1:#{GenServer.call(mitm, :port)}"

  @doc "Switches the mode."
  def mode(mitm, mode), do: GenServer.call(mitm, {:mode, mode})

  @doc "The request paths seen since the last call, oldest first."
  def take_paths(mitm), do: GenServer.call(mitm, :take_paths)

  def stop(mitm), do: GenServer.stop(mitm)

  @impl true
  def init(upstream) do
    {:ok, listen} =
      :gen_tcp.listen(0, [:binary, active: false, reuseaddr: true, ip: {127, 0, 0, 1}])

    {:ok, port} = :inet.port(listen)
    me = self()
    spawn_link(fn -> accept(listen, me) end)
    {:ok, %{listen: listen, port: port, upstream: upstream, mode: :pass, kept: nil, paths: []}}
  end

  @impl true
  def handle_call(:port, _from, s), do: {:reply, s.port, s}
  def handle_call({:mode, mode}, _from, s), do: {:reply, :ok, %{s | mode: mode}}
  def handle_call(:take_paths, _from, s), do: {:reply, Enum.reverse(s.paths), %{s | paths: []}}

  def handle_call({:seen, path}, _from, s),
    do: {:reply, {s.mode, s.kept, s.upstream}, %{s | paths: [path | s.paths]}}

  def handle_call({:keep, answer}, _from, s), do: {:reply, :ok, %{s | kept: answer}}

  defp accept(listen, mitm) do
    case :gen_tcp.accept(listen) do
      {:ok, socket} ->
        pid = spawn(fn -> receive(do: (:go -> serve(socket, mitm))) end)
        :gen_tcp.controlling_process(socket, pid)
        send(pid, :go)
        accept(listen, mitm)

      {:error, _} ->
        :ok
    end
  end

  defp serve(socket, mitm) do
    with {:ok, request} <- read_request(socket, "") do
      {mode, kept, upstream} = GenServer.call(mitm, {:seen, request.path})
      respond(socket, mitm, mode, kept, upstream, request)
    end

    :gen_tcp.close(socket)
  end

  defp respond(_socket, _mitm, :offline, _kept, _upstream, _request), do: :ok

  defp respond(socket, _mitm, :replay_checkin, kept, _upstream, %{path: "/device/v1/checkin"}) do
    :gen_tcp.send(socket, response(200, kept))
  end

  defp respond(socket, mitm, mode, _kept, upstream, request) do
    case forward(upstream, request) do
      {:ok, status, body} ->
        cond do
          mode == :capture_checkin and request.path == "/device/v1/checkin" ->
            GenServer.call(mitm, {:keep, body})
            :gen_tcp.send(socket, response(503, ~s({"type":"unavailable"})))

          match?({:bundle, _}, mode) and String.ends_with?(request.path, "/bundle") and
              status == 200 ->
            {:bundle, fun} = mode
            :gen_tcp.send(socket, response(200, fun.(body)))

          true ->
            :gen_tcp.send(socket, response(status, body))
        end

      {:error, _} ->
        :ok
    end
  end

  defp forward(upstream, request) do
    headers =
      for {k, v} <- request.headers, k in ["content-type", "x-dala-channel-key"], do: {k, v}

    method = if request.method == "POST", do: :post, else: :get
    opts = %{max_body: 512 * 1024 * 1024, connect_timeout: 10_000, timeout: 120_000}

    case Tcp.request(
           method,
           upstream <> request.path,
           headers,
           if(method == :post, do: request.body),
           opts
         ) do
      {:ok, status, _headers, body} -> {:ok, status, body}
      error -> error
    end
  end

  defp response(status, body) do
    [
      "HTTP/1.1 #{status} X\r\nContent-Length: #{byte_size(body)}\r\nConnection: close\r\n\r\n",
      body
    ]
  end

  defp read_request(socket, acc) do
    case String.split(acc, "\r\n\r\n", parts: 2) do
      [head, body] ->
        [request_line | lines] = String.split(head, "\r\n")
        [method, path, _] = String.split(request_line, " ")

        headers =
          for line <- lines,
              [k, v] = String.split(line, ": ", parts: 2),
              do: {String.downcase(k), v}

        length =
          case List.keyfind(headers, "content-length", 0),
            do:
              (
                nil -> 0
                {_, n} -> String.to_integer(n)
              )

        {:ok,
         %{method: method, path: path, headers: headers, body: read_body(socket, body, length)}}

      [_] ->
        case :gen_tcp.recv(socket, 0, 30_000) do
          {:ok, data} -> read_request(socket, acc <> data)
          error -> error
        end
    end
  end

  defp read_body(_socket, body, length) when byte_size(body) >= length, do: body

  defp read_body(socket, body, length) do
    {:ok, data} = :gen_tcp.recv(socket, 0, 30_000)
    read_body(socket, body <> data, length)
  end
end
