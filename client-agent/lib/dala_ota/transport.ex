defmodule DalaOta.Transport do
  @moduledoc """
  HTTP for the agent, as a behaviour, so each device build uses what it has:

    * `DalaOta.Transport.Httpc` - OTP's `:httpc`, with TLS through `:ssl`;
    * `DalaOta.Transport.Tcp` - a small HTTP/1.1 client over `:gen_tcp` for builds without
      inets or ssl (Dala's iOS build has neither);
    * `DalaOta.Transport.Bridge` - a seam for a native HTTP stack (URLSession, OkHttp) that the
      app exposes as a process.

  With `transport: :auto` an `https://` server uses `:httpc` (TLS verifies the server) and an
  `http://` server uses the TCP client, whose every read is capped. Everything the server says
  is verified by signature anyway; the caps make sure a hostile network cannot make the device
  hold more than it allows.

  Every call takes `opts` with `:max_body` (bytes), `:connect_timeout` and `:timeout` (ms, the
  whole exchange), `:max_header_bytes` and `:max_headers` (caps on the response's head) and,
  for TLS, `:tls` (extra `:ssl` options such as `cacerts`). `:httpc` keeps its own fixed cap on
  the head (inets' header size limit) and ignores the last two.
  """

  @type headers :: [{binary, binary}]
  @type opts :: %{
          required(:max_body) => pos_integer,
          required(:connect_timeout) => pos_integer,
          required(:timeout) => pos_integer,
          optional(:tls) => keyword,
          optional(:bridge) => atom | pid | nil,
          optional(:max_header_bytes) => pos_integer,
          optional(:max_headers) => pos_integer
        }

  @doc """
  One request with the body in memory. Response header names are lowercase. Redirects are not
  followed.
  """
  @callback request(:get | :post, url :: binary, headers, body :: iodata | nil, opts) ::
              {:ok, status :: pos_integer, headers, body :: binary} | {:error, term}

  @doc "A GET whose 2xx body is written to `path` (truncated first); the result counts the bytes written."
  @callback download(url :: binary, headers, path :: Path.t(), opts) ::
              {:ok, status :: pos_integer, headers, written :: non_neg_integer} | {:error, term}

  @doc "Chooses the implementation for a server URL."
  @spec select(:auto | module, binary) :: {:ok, module} | {:error, :tls_unavailable}
  def select(:auto, url) do
    case URI.parse(url).scheme do
      "https" ->
        if DalaOta.Transport.Httpc.available?(:https),
          do: {:ok, DalaOta.Transport.Httpc},
          else: {:error, :tls_unavailable}

      _ ->
        {:ok, DalaOta.Transport.Tcp}
    end
  end

  def select(module, _url) when is_atom(module), do: {:ok, module}

  @doc "A header's value (names compare case-insensitively), or nil."
  @spec header(headers, binary) :: binary | nil
  def header(headers, name) do
    name = String.downcase(name)
    Enum.find_value(headers, fn {k, v} -> if String.downcase(k) == name, do: v end)
  end
end
