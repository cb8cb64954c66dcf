defmodule DalaOta.Boot do
  @moduledoc """
  Loads the device's current bundle at start-up, before any of the app's own modules run.
  Call it first in the host's `start/0` (or `Application.start/2`), with the same options as
  the agent:

      def start(_type, _args) do
        DalaOta.Boot.load(MyApp.ota_options())
        children = [..., {DalaOta.Agent, MyApp.ota_options()}]
        Supervisor.start_link(children, strategy: :one_for_one)
      end

  For a *pending* bundle it first applies the crash-loop rule (`DalaOta.Health`): a bundle the
  app keeps dying with, or never confirms, is reverted to the previous one, and the reason is
  queued for the next check-in. A bundle built for another base (the app was updated through
  its store since) is set aside. Whatever happens, `load/1` returns; when it cannot load a
  bundle the app runs its base code.
  """

  alias DalaOta.{Config, DeviceState, Events, Health, Installed, Loader, Reason}

  require Logger

  @typedoc "What runs after boot."
  @type info :: %{
          sequence: non_neg_integer,
          label: binary | nil,
          status: :base | :pending | :confirmed,
          mode: :hot | :next_start | nil,
          rolled_back: %{sequence: pos_integer, reason: binary} | nil,
          set_aside: term
        }

  @doc "Loads the current bundle. See the module documentation."
  @spec load(keyword) :: {:ok, info} | {:error, term}
  def load(opts) do
    started = System.monotonic_time(:millisecond)

    result =
      try do
        do_load(opts)
      rescue
        e -> {:error, {:boot_crashed, Exception.message(e)}}
      catch
        kind, reason -> {:error, {:boot_crashed, {kind, reason}}}
      end

    case result do
      {:ok, _} -> :ok
      {:error, reason} -> Logger.error("dala_ota: the app runs its base code: #{inspect(reason)}")
    end

    :persistent_term.put({__MODULE__, :result}, {result, started})
    result
  end

  @doc """
  What the last `load/1` in this VM returned, and when (monotonic milliseconds); nil when it
  was not called.
  """
  @spec last() :: {{:ok, info} | {:error, term}, integer} | nil
  def last, do: :persistent_term.get({__MODULE__, :result}, nil)

  defp do_load(opts) do
    with {:ok, config} <- Config.new(opts),
         {:ok, handle} <- config.store.open(config.data_dir) do
      st = {config.store, handle}
      now = config.clock.now()

      case Installed.pointer(st) do
        {:ok, nil} ->
          {:ok, base_info(nil)}

        {:ok, pointer} ->
          boot(st, config, pointer, now)

        {:error, {:corrupt, _} = reason} ->
          # A pointer whose bytes do not decode names nothing that could be loaded safely.
          Installed.put_pointer(st, nil)
          {:ok, base_info({:unreadable_pointer, reason})}

        {:error, reason} ->
          # A read that failed (EIO, data protection before the first unlock) may pass: the
          # base runs for this start and the pointer stays for the next.
          {:ok, base_info({:unreadable_pointer, reason})}
      end
    end
  end

  defp boot(st, config, pointer, now) do
    with {:ok, meta} <- Installed.meta(st, pointer.sequence),
         true <- Config.base(config) in meta.bases do
      case Health.at_boot(pointer, limits(config), now) do
        {:boot, booted} ->
          case record_boot(st, pointer, booted) do
            :ok -> load_booted(st, config, pointer, booted, meta, now)
            {:error, reason} -> {:ok, base_info({:pointer_not_written, reason})}
          end

        {:revert, reason} ->
          revert(st, config, pointer, reason, now)
      end
    else
      false ->
        Installed.put_pointer(st, nil)
        {:ok, base_info({:base_changed, pointer.sequence})}

      {:error, reason} ->
        not_loaded(st, config, pointer, {:load_failed, reason}, now)
    end
  end

  # `meta` is the bundle.etf `boot/4` read already: a start reads it once.
  defp load_booted(st, config, pointer, booted, meta, now) do
    case load_bundle(st, meta) do
      :ok ->
        if pointer.status == :pending and pointer.mode == :next_start and pointer.boots == 0 do
          Events.record(st, config, :applied, pointer.sequence)
        end

        {:ok, info(booted, nil)}

      {:error, reason} ->
        not_loaded(st, config, booted, {:load_failed, reason}, now)
    end
  end

  # A confirmed pointer does not change at boot, so it is not rewritten (a full disk must not
  # matter to it). A pending bundle's boot must be counted before it runs, or a crash loop would
  # never be seen: when that write fails, the base runs this once and nothing is reverted.
  defp record_boot(_st, pointer, pointer), do: :ok

  defp record_boot(st, _pointer, booted) do
    case Installed.put_pointer(st, booted) do
      :ok ->
        :ok

      {:error, reason} = error ->
        Logger.error(
          "dala_ota: cannot count this boot of bundle #{booted.sequence}: #{inspect(reason)}"
        )

        error
    end
  end

  # A pending bundle that does not load is reverted like a crash loop. A confirmed one is never
  # reverted on its own: what failed may pass by the next start (EIO, or iOS data protection
  # before the first unlock), so the base runs for this start only, the pointer and the files
  # stay, and the failure is reported once per bundle.
  defp not_loaded(st, config, %{status: :confirmed} = pointer, reason, _now) do
    text = Reason.text(reason)

    Logger.error(
      "dala_ota: confirmed bundle #{pointer.sequence} did not load, the base runs: #{text}"
    )

    with {:ok, state} <- DeviceState.read(st),
         true <- state.boot_failure_reported != pointer.sequence do
      Events.record(
        st,
        config,
        :failed,
        pointer.sequence,
        "confirmed bundle not loaded at boot: " <> text
      )

      DeviceState.write(st, %{state | boot_failure_reported: pointer.sequence})
    end

    {:ok, base_info({:confirmed_not_loaded, pointer.sequence, reason})}
  end

  defp not_loaded(st, config, pointer, reason, now), do: revert(st, config, pointer, reason, now)

  # The reverted bundle is deleted; the previous one becomes current again as it was: confirmed,
  # or still pending (with fresh counters, so the crash-loop rule keeps watching it).
  defp revert(st, config, pointer, reason, now) do
    text = Reason.text(reason)
    Logger.error("dala_ota: reverting bundle #{pointer.sequence} (#{pointer.label}): #{text}")
    Events.record(st, config, :rolled_back, pointer.sequence, text)

    with {:ok, state} <- DeviceState.read(st) do
      DeviceState.write(st, %{
        state
        | last_rollback: %{
            sequence: pointer.sequence,
            label: pointer.label,
            reason: text,
            at: now
          }
      })
    end

    rolled_back = %{sequence: pointer.sequence, reason: text}

    restored =
      case pointer.previous do
        nil ->
          nil

        previous ->
          status = Map.get(previous, :status, :confirmed)

          %{
            format: 1,
            sequence: previous.sequence,
            label: previous.label,
            status: status,
            mode: :hot,
            previous: nil,
            # This start is the restored bundle's first boot.
            boots: if(status == :pending, do: 1, else: 0),
            early_crashes: 0,
            started_at: now,
            survived: status == :confirmed,
            installed_at: now
          }
      end

    # Without the new pointer on disk the reverted bundle is still what it names, so nothing
    # is deleted; the next start decides the same way and tries again.
    case Installed.put_pointer(st, restored) do
      :ok ->
        Installed.prune(st, if(restored, do: [restored.sequence], else: []))

      {:error, reason} ->
        Logger.error("dala_ota: cannot record the revert: #{inspect(reason)}")
    end

    case restored && load_bundle(st, restored.sequence) do
      nil ->
        {:ok, %{base_info(nil) | rolled_back: rolled_back}}

      :ok ->
        {:ok, %{info(restored, nil) | rolled_back: rolled_back}}

      {:error, again} ->
        Installed.put_pointer(st, nil)
        {:ok, %{base_info({:load_failed, again}) | rolled_back: rolled_back}}
    end
  end

  defp load_bundle(st, seq_or_meta) do
    with {:ok, items} <- Installed.load_items(st, seq_or_meta), do: Loader.load(items)
  end

  defp limits(config) do
    %{
      max_boots: config.max_boots,
      max_early_crashes: config.max_early_crashes,
      health_window: config.health_window
    }
  end

  defp info(pointer, set_aside) do
    %{
      sequence: pointer.sequence,
      label: pointer.label,
      status: pointer.status,
      mode: pointer.mode,
      rolled_back: nil,
      set_aside: set_aside
    }
  end

  defp base_info(set_aside) do
    %{sequence: 0, label: nil, status: :base, mode: nil, rolled_back: nil, set_aside: set_aside}
  end
end
