defmodule DalaOta.Transport.Bridge do
  @moduledoc """
  The seam for a native HTTP stack: the app registers a process (for example the Elixir side of
  a NIF or port that calls URLSession or OkHttp) and names it in the agent's config as
  `bridge:`. For each request the agent sends it

      {:dala_ota_http, from :: pid, ref :: reference,
       %{method: :get | :post, url: binary, headers: [{binary, binary}], body: binary | nil,
         max_body: pos_integer, timeout: pos_integer}}

  and waits, up to `timeout`, for

      {:dala_ota_http, ref, {:ok, status, headers, body} | {:error, reason}}

  The body cap is enforced here again, whatever the bridge does. A download is a request whose
  body is then written to the file.
  """
  @behaviour DalaOta.Transport

  @impl true
  def request(method, url, headers, body, opts) do
    case Map.get(opts, :bridge) do
      nil ->
        {:error, :no_bridge}

      bridge ->
        ref = make_ref()

        message = %{
          method: method,
          url: url,
          headers: headers,
          body: body && IO.iodata_to_binary(body),
          max_body: opts.max_body,
          timeout: opts.timeout
        }

        try do
          send(bridge, {:dala_ota_http, self(), ref, message})
        rescue
          ArgumentError -> throw(:no_bridge)
        end

        receive do
          {:dala_ota_http, ^ref, {:ok, status, headers, body}}
          when is_integer(status) and is_binary(body) ->
            if byte_size(body) > opts.max_body,
              do: {:error, {:body_too_large, byte_size(body), opts.max_body}},
              else: {:ok, status, headers, body}

          {:dala_ota_http, ^ref, {:error, reason}} ->
            {:error, {:bridge, reason}}

          {:dala_ota_http, ^ref, other} ->
            {:error, {:bridge, {:bad_reply, other}}}
        after
          opts.timeout -> {:error, :timeout}
        end
    end
  catch
    :no_bridge -> {:error, :no_bridge}
  end

  @impl true
  def download(url, headers, path, opts) do
    with {:ok, status, headers, body} <- request(:get, url, headers, nil, opts) do
      if status in 200..299 do
        case File.write(path, body, [:sync]) do
          :ok -> {:ok, status, headers, byte_size(body)}
          {:error, reason} -> {:error, {:download_file, reason}}
        end
      else
        {:ok, status, headers, 0}
      end
    end
  end
end
