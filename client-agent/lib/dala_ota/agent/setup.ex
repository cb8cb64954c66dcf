defmodule DalaOta.Agent.Setup do
  @moduledoc """
  What `DalaOta.Agent` does once at start: validate the configuration, open the store, read
  what the device remembers and the `current` pointer, pick a trusted crypto backend and a
  transport, and work out what `DalaOta.Boot.load/1` loaded in this VM.

  A problem at any step does not stop the agent. It is returned with as much of the state as
  was built, so the agent can still answer `status/1`, say why updates are disabled, and
  (with a store and a transport) send the reports queued on disk.
  """

  alias DalaOta.{Config, Crypto, DeviceState, Installed, Transport}
  alias DalaOta.Agent.State

  require Logger

  @doc "Builds the agent's state from its options."
  @spec run(keyword) :: {:ok, State.t()} | {:error, term, State.t()}
  def run(opts) do
    case Config.new(opts) do
      {:ok, config} -> with_config(config)
      {:error, problem} -> {:error, problem, %State{}}
    end
  end

  defp with_config(config) do
    with {:store, {:ok, handle}} <- {:store, config.store.open(config.data_dir)},
         st = {config.store, handle},
         {:state, {:ok, device}} <- {:state, DeviceState.read(st)},
         {:pointer, {:ok, pointer}} <- {:pointer, Installed.pointer(st)} do
      crypto = Crypto.select(config.crypto, config.crypto_check_timeout)

      device =
        device |> DeviceState.for_base(Config.base(config)) |> with_install_id(config, crypto)

      DeviceState.save(st, device)

      boot = DalaOta.Boot.last()

      # The transport is chosen even without trusted crypto: queued reports still go out.
      transport = Transport.select(config.transport, config.server_url)

      state = %State{
        config: config,
        st: st,
        device: device,
        pointer: pointer,
        install_id: device.install_id,
        boot: boot,
        running: running(boot, pointer),
        transport: usable(transport)
      }

      with {:ok, crypto} <- crypto,
           {:ok, transport} <- transport do
        {:ok, %{state | crypto: crypto, transport: transport}}
      else
        {:error, problem} -> {:error, problem, state}
      end
    else
      {step, {:error, reason}} -> {:error, {step, reason}, %State{config: config}}
    end
  end

  defp usable({:ok, transport}), do: transport
  defp usable(_), do: nil

  defp with_install_id(device, config, crypto) do
    cond do
      config.install_id != :generated ->
        %{device | install_id: config.install_id}

      device.install_id != nil ->
        device

      true ->
        backend = if match?({:ok, _}, crypto), do: elem(crypto, 1), else: nil
        %{device | install_id: "dala-" <> Crypto.hex(random(backend, 16))}
    end
  end

  # An install id is an identifier, not a secret: without trusted crypto any randomness will do.
  defp random(nil, n), do: :rand.bytes(n)
  defp random(crypto, n), do: crypto.random_bytes(n)

  # What runs is what DalaOta.Boot.load/1 loaded in this VM; without it the base runs.
  defp running({{:ok, info}, _started}, _pointer) do
    %{sequence: info.sequence, label: info.label, status: info.status}
  end

  defp running(nil, %{} = pointer) do
    Logger.warning(
      "dala_ota: bundle #{pointer.sequence} is installed but DalaOta.Boot.load/1 was not called first in the app's start; the base runs"
    )

    %{sequence: 0, label: nil, status: :base}
  end

  defp running(_, _), do: %{sequence: 0, label: nil, status: :base}
end
