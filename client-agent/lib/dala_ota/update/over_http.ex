defmodule DalaOta.Update.OverHttp do
  @moduledoc """
  Delivery over HTTP, the fallback to distribution: the release's whole signed bundle, streamed
  to a file under the caps, then verified exactly as a session's offer is (the envelope through
  the whole chain, every module's size and SHA-256), and the file must be the one the signed
  answer describes. The agent reports `downloaded`, `applied` or `failed` itself.
  """

  alias DalaOta.{Bundle, Config, Crypto, Manifest, Reason, Update}
  alias DalaOta.Update.{Context, Install}

  # The same signed bundle over HTTP, verified exactly as a session's offer: the envelope through
  # the whole chain, then every module's size and hash; and the file must be the one the signed
  # answer describes.
  @doc "Downloads, verifies, installs and applies the offered bundle, reporting each step."
  @spec run(
          Update.runtime(),
          map,
          Manifest.t(),
          [Manifest.module_entry()],
          :hot | :next_start,
          integer
        ) ::
          {{:ok, Update.outcome()} | {:error, term}, Update.runtime()}
  def run(rt, upd, manifest, wanted, mode, now) do
    c = rt.config
    path = Path.join(c.data_dir, "download.bundle")
    want = MapSet.new(wanted, & &1.sha256)
    limits = Config.bundle_limits(c)

    try do
      with {:ok, written} <- download(rt, upd.bundle_url, path, limits),
           {:ok, fetched} <- verify_bundle(rt, path, upd, want, limits, now) do
        Context.report(rt, :downloaded, upd.sequence, nil, written)

        rt = %{
          rt
          | delivery: %{
              via: :http,
              sequence: upd.sequence,
              modules: Enum.map(wanted, & &1.name),
              bytes: written
            }
        }

        {result, rt} = Install.run(rt, manifest, upd.manifest, fetched, mode)

        case result do
          {:ok, {:applied, seq}} -> Context.report(rt, :applied, seq, nil, nil)
          {:ok, {:staged, _}} -> :ok
          {:error, reason} -> Context.report(rt, :failed, upd.sequence, Reason.text(reason), nil)
        end

        {result, rt}
      else
        {:error, {:bundle_rejected, _} = reason} -> Context.fail(rt, upd.sequence, reason)
        {:error, reason} -> {{:error, {:download_failed, reason}}, rt}
      end
    after
      File.rm(path)
    end
  end

  defp download(rt, url, path, limits) do
    c = rt.config
    max = limits.max_bundle_bytes + limits.max_envelope_bytes + 64 * 1024
    opts = Context.transport_opts(c, max, c.download_timeout)

    case rt.transport.download(
           c.server_url <> url,
           [{"X-Dala-Channel-Key", c.channel_key}],
           path,
           opts
         ) do
      {:ok, 200, _headers, written} -> {:ok, written}
      {:ok, status, _headers, _} -> {:error, {:http_status, status}}
      {:error, reason} -> {:error, reason}
    end
  end

  # Every problem is reported together: the file's hash against the signed answer, the envelope
  # against the offered manifest and the whole trust chain, and every module.
  defp verify_bundle(rt, path, upd, want, limits, now) do
    problems =
      if hash_file(rt.crypto, path) == upd.bundle_sha256, do: [], else: [:bundle_hash_mismatch]

    verdict =
      Bundle.verify({:file, path}, Context.trust(rt, now), Context.device(rt, now), limits,
        keep: &MapSet.member?(want, &1.sha256),
        expect_envelope: upd.manifest
      )

    case {verdict, problems} do
      {{:ok, _manifest, fetched}, []} -> {:ok, fetched}
      {{:ok, _manifest, _}, problems} -> {:error, {:bundle_rejected, problems}}
      {{:error, found}, problems} -> {:error, {:bundle_rejected, problems ++ found}}
    end
  end

  defp hash_file(crypto, path) do
    case File.open(path, [:read, :binary, :raw]) do
      {:ok, io} ->
        try do
          Stream.repeatedly(fn -> :file.read(io, 65_536) end)
          |> Enum.reduce_while(crypto.sha256_init(), fn
            {:ok, data}, state -> {:cont, crypto.sha256_update(state, data)}
            :eof, state -> {:halt, state}
            {:error, _}, state -> {:halt, state}
          end)
          |> crypto.sha256_final()
          |> Crypto.hex()
        after
          File.close(io)
        end

      {:error, _} ->
        nil
    end
  end
end
