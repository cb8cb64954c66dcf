defmodule DalaOta.E2E.DemoApp do
  @moduledoc """
  The demo app the end-to-end devices run, compiled at test time with the host's `elixirc` and
  `erlc` (OTP 25 code, which OTP 29 loads too). Version 0 is the base; later versions are what
  gets bundled and published:

    * `Demo.Greeter` - a registered GenServer whose `hello/0` answers the version's greeting;
    * `Demo.Boot` - `check/0`, which the app's start calls; `crash_at_boot: true` makes it raise;
    * `demo_worker` - an Erlang module whose version only changes when asked;
    * `Demo.App` - the app's start (base only).

  Sources are compiled in folders of the same shape, so unchanged code compiles to unchanged
  stripped bytes and a delta carries only what really changed.
  """

  @doc "Compiles a version into `dir`; returns `dir`."
  def compile(dir, greeting, opts \\ []) do
    src = Path.join(dir, "src")
    ebin = Path.join(dir, "ebin")
    File.mkdir_p!(src)
    File.mkdir_p!(ebin)

    File.write!(Path.join(src, "greeter.ex"), """
    defmodule Demo.Greeter do
      use GenServer
      def start, do: GenServer.start(__MODULE__, 0, name: __MODULE__)
      def hello, do: GenServer.call(__MODULE__, :hello)
      @impl true
      def init(n), do: {:ok, n}
      @impl true
      def handle_call(:hello, _from, n), do: {:reply, greeting(), n + 1}
      defp greeting, do: #{inspect(greeting)}
    end
    """)

    File.write!(Path.join(src, "boot.ex"), """
    defmodule Demo.Boot do
      def check, do: #{if opts[:crash_at_boot], do: ~s|raise "the new code crashes at launch"|, else: ":ok"}
    end
    """)

    if Keyword.get(opts, :app, false) do
      File.write!(Path.join(src, "app.ex"), """
      defmodule Demo.App do
        def start do
          Demo.Boot.check()
          Demo.Greeter.start()
        end
      end
      """)
    end

    File.write!(
      Path.join(src, "demo_worker.erl"),
      "-module(demo_worker).\n-export([version/0]).\nversion() -> #{Keyword.get(opts, :worker, 1)}.\n"
    )

    for extra <- Keyword.get(opts, :erlang, []) do
      {name, source} = extra
      File.write!(Path.join(src, "#{name}.erl"), source)
    end

    {out, 0} =
      System.cmd(
        "elixirc",
        ["-o", "../ebin"] ++
          (File.ls!(src) |> Enum.filter(&String.ends_with?(&1, ".ex")) |> Enum.sort()),
        cd: src,
        stderr_to_stdout: true
      )
      |> ok!()

    _ = out
    erls = File.ls!(src) |> Enum.filter(&String.ends_with?(&1, ".erl")) |> Enum.sort()

    {_, 0} =
      System.cmd("erlc", ["-o", "../ebin" | erls], cd: src, stderr_to_stdout: true) |> ok!()

    ebin
  end

  @doc "An Erlang module that loads a NIF: only a base that links it statically can take it."
  def nif_module do
    {"demo_nif",
     "-module(demo_nif).\n-export([init/0]).\n-on_load(init/0).\ninit() -> erlang:load_nif(\"demo_nif\", 0).\n"}
  end

  @doc "An Erlang module of about `bytes` bytes (random text, so compression cannot shrink it)."
  def big_module(bytes) do
    text = Base.encode64(:crypto.strong_rand_bytes(div(bytes * 3, 4)))
    {"demo_big", "-module(demo_big).\n-export([blob/0]).\nblob() -> <<\"#{text}\">>.\n"}
  end

  defp ok!({out, 0}), do: {out, 0}
  defp ok!({out, status}), do: raise("compiling the demo app failed (#{status}):\n#{out}")
end
