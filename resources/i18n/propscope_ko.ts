<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
  <context>
    <name>Propscope</name>
    <message>
      <source>Cannot build this model</source>
      <translation>이 모델을 만들 수 없습니다</translation>
    </message>
    <message>
      <source>Could not open the session</source>
      <translation>세션을 열 수 없습니다</translation>
    </message>
    <message>
      <source>Cannot compare</source>
      <translation>비교할 수 없습니다</translation>
    </message>
    <message>
      <source>Load data in the main window first.</source>
      <translation>먼저 주 창에서 데이터를 불러오세요.</translation>
    </message>
    <message>
      <source>full batch</source>
      <translation>전체 배치</translation>
    </message>
    <message>
      <source>batch {n}</source>
      <translation>배치 {n}</translation>
    </message>
    <message>
      <source>Paused: the main window is training now (one run at a time).</source>
      <translation>일시 정지: 지금은 메인 창이 학습 중입니다 (한 번에 하나만 실행).</translation>
    </message>
    <message>
      <source>Training failed</source>
      <translation>학습에 실패했습니다</translation>
    </message>
    <message>
      <source>Training did not stop</source>
      <translation>학습이 멈추지 않았습니다</translation>
    </message>
    <message>
      <source>The training thread has not stopped {seconds} s after it was asked to. Its last batch may still be computing; save your work and restart if it does not end.</source>
      <translation>학습 스레드가 멈추라는 요청을 받고 {seconds}초가 지나도록 멈추지 않았습니다. 마지막 배치를 아직 계산 중일 수 있습니다. 끝나지 않으면 작업을 저장하고 다시 시작하세요.</translation>
    </message>
    <message>
      <source>Propscope · compare settings side by side</source>
      <translation>Propscope · 설정 나란히 비교</translation>
    </message>
    <message>
      <source>Comparison</source>
      <translation>비교</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>에포크 수</translation>
    </message>
    <message>
      <source>Reset</source>
      <translation>초기화</translation>
    </message>
    <message>
      <source>Reset (take the main window's settings)</source>
      <translation>초기화 (주 창의 설정 가져오기)</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>일시 정지</translation>
    </message>
    <message>
      <source>Run all</source>
      <translation>모두 실행</translation>
    </message>
    <message>
      <source>Every side trains on {data} with layers {sizes}, loss {loss} and seed {seed}: the same batches in the same order, from the same initial weights when the layer sizes agree.</source>
      <translation>모든 쪽이 {data}에서 층 {sizes}, 손실 {loss}, 시드 {seed}로 학습합니다. 같은 배치를 같은 순서로 보고, 층 크기가 같으면 같은 초기 가중치에서 시작합니다.</translation>
    </message>
    <message>
      <source>Could not load the data</source>
      <translation>데이터를 불러올 수 없습니다</translation>
    </message>
    <message>
      <source>No test set</source>
      <translation>테스트 세트 없음</translation>
    </message>
    <message>
      <source>This data has no separate test set (such as t10k files).</source>
      <translation>이 데이터에는 별도의 테스트 세트(t10k 파일 등)가 없습니다.</translation>
    </message>
    <message>
      <source>Could not evaluate the test set</source>
      <translation>테스트 세트를 평가할 수 없습니다</translation>
    </message>
    <message>
      <source>{preset} expects {expected} inputs; this data has {have}. The layers are applied to the current data.</source>
      <translation>{preset}은(는) 입력 {expected}개를 기대하지만 이 데이터는 {have}개입니다. 층 구성을 현재 데이터에 맞춰 적용합니다.</translation>
    </message>
    <message>
      <source>Training diverged</source>
      <translation>학습이 발산했습니다</translation>
    </message>
    <message>
      <source>Nothing to train</source>
      <translation>학습할 것이 없습니다</translation>
    </message>
    <message>
      <source>This session is set to 0 epochs. Set Epochs in the Training panel to 1 or more to train it.</source>
      <translation>이 세션은 에포크가 0으로 설정되어 있습니다. 학습하려면 학습 패널의 에포크 수를 1 이상으로 설정하세요.</translation>
    </message>
    <message>
      <source>This session has reached the most steps a session can hold ({limit:,}).</source>
      <translation>이 세션은 한 세션이 담을 수 있는 최대 스텝 수({limit:,})에 도달했습니다.</translation>
    </message>
    <message>
      <source>Reset or rewind first.</source>
      <translation>먼저 초기화하거나 되감으세요.</translation>
    </message>
    <message>
      <source>Paused: compare mode is training now (one run at a time).</source>
      <translation>일시 정지: 지금은 비교 모드가 학습 중입니다 (한 번에 하나만 실행).</translation>
    </message>
    <message>
      <source>Where is Fashion-MNIST (train-images-idx3-ubyte.gz)?</source>
      <translation>Fashion-MNIST(train-images-idx3-ubyte.gz)는 어디에 있나요?</translation>
    </message>
    <message>
      <source>All datasets</source>
      <translation>모든 데이터셋</translation>
    </message>
    <message>
      <source>CSV / TSV</source>
      <translation>CSV / TSV</translation>
    </message>
    <message>
      <source>NumPy</source>
      <translation>NumPy</translation>
    </message>
    <message>
      <source>IDX, MNIST format</source>
      <translation>IDX, MNIST 형식</translation>
    </message>
    <message>
      <source>All files</source>
      <translation>모든 파일</translation>
    </message>
    <message>
      <source>Reset goes back to step 0 with the initial weights.</source>
      <translation>초기화하면 초기 가중치로 0단계로 돌아갑니다.</translation>
    </message>
    <message>
      <source>New data builds a new model from step 0.</source>
      <translation>새 데이터는 0단계부터 새 모델을 만듭니다.</translation>
    </message>
    <message>
      <source>A new split or normalization builds a new model from step 0.</source>
      <translation>새 분할이나 정규화는 0단계부터 새 모델을 만듭니다.</translation>
    </message>
    <message>
      <source>The lesson sets up new data, a new model and new training settings from step 0.</source>
      <translation>이 실습은 0단계부터 새 데이터, 새 모델, 새 학습 설정을 준비합니다.</translation>
    </message>
    <message>
      <source>The preset builds a new model from step 0.</source>
      <translation>프리셋은 0단계부터 새 모델을 만듭니다.</translation>
    </message>
    <message>
      <source>The new layers build a new model from step 0.</source>
      <translation>새 층 구성은 0단계부터 새 모델을 만듭니다.</translation>
    </message>
    <message>
      <source>The opened model replaces the one trained now.</source>
      <translation>연 모델이 지금 학습 중인 모델을 대신합니다.</translation>
    </message>
    <message>
      <source>The opened session replaces the one trained now.</source>
      <translation>연 세션이 지금 학습 중인 세션을 대신합니다.</translation>
    </message>
    <message>
      <source>A new loss, optimizer type or seed builds a new model from step 0.</source>
      <translation>새 손실 함수, 옵티마이저 종류 또는 시드는 0단계부터 새 모델을 만듭니다.</translation>
    </message>
    <message>
      <source>The comparison starts again: every side is built anew from step 0.</source>
      <translation>비교를 처음부터 다시 시작합니다: 모든 쪽을 스텝 0부터 새로 만듭니다.</translation>
    </message>
    <message>
      <source>Discard training progress?</source>
      <translation>학습 진행 상황을 버릴까요?</translation>
    </message>
    <message>
      <source>The {steps} trained steps are discarded. Continue?</source>
      <translation>학습한 {steps}단계가 버려집니다. 계속할까요?</translation>
    </message>
    <message>
      <source>Replace existing files?</source>
      <translation>기존 파일을 바꿀까요?</translation>
    </message>
    <message>
      <source>{folder} already holds {names}. Replace them?</source>
      <translation>{folder}에 이미 {names}이(가) 있습니다. 바꿀까요?</translation>
    </message>
    <message>
      <source>Could not export {what}</source>
      <translation>{what}을(를) 내보낼 수 없습니다</translation>
    </message>
    <message>
      <source>Exported {what}: {result}</source>
      <translation>{what} 내보내기 완료: {result}</translation>
    </message>
    <message>
      <source>Export weights into folder</source>
      <translation>가중치를 내보낼 폴더</translation>
    </message>
    <message>
      <source>the weights</source>
      <translation>가중치</translation>
    </message>
    <message>
      <source>Export Keras model</source>
      <translation>Keras 모델 내보내기</translation>
    </message>
    <message>
      <source>Keras models (*.keras)</source>
      <translation>Keras 모델 (*.keras)</translation>
    </message>
    <message>
      <source>the Keras model</source>
      <translation>Keras 모델</translation>
    </message>
    <message>
      <source>Pause training first: the model changes while it runs.</source>
      <translation>먼저 학습을 일시 정지하세요. 실행 중에는 모델이 바뀝니다.</translation>
    </message>
    <message>
      <source>Export figure</source>
      <translation>그림 내보내기</translation>
    </message>
    <message>
      <source>PNG image (*.png);;SVG vector (*.svg);;PDF vector (*.pdf)</source>
      <translation>PNG 이미지 (*.png);;SVG 벡터 (*.svg);;PDF 벡터 (*.pdf)</translation>
    </message>
    <message>
      <source>the figure</source>
      <translation>그림</translation>
    </message>
    <message>
      <source>There is nothing to draw yet: load data and build a model first.</source>
      <translation>아직 그릴 것이 없습니다. 먼저 데이터를 불러오고 모델을 만드세요.</translation>
    </message>
    <message>
      <source>Export lecture pack into folder</source>
      <translation>강의 자료 묶음을 내보낼 폴더</translation>
    </message>
    <message>
      <source>the lecture pack</source>
      <translation>강의 자료 묶음</translation>
    </message>
    <message>
      <source>Animated GIF (*.gif)</source>
      <translation>애니메이션 GIF (*.gif)</translation>
    </message>
    <message>
      <source>MP4 video (*.mp4)</source>
      <translation>MP4 동영상 (*.mp4)</translation>
    </message>
    <message>
      <source>Record animation</source>
      <translation>애니메이션 녹화</translation>
    </message>
    <message>
      <source>the animation</source>
      <translation>애니메이션</translation>
    </message>
    <message>
      <source>16:9 slide, full (13.3 × 7.5 in)</source>
      <translation>16:9 슬라이드 전체 (13.3 × 7.5 in)</translation>
    </message>
    <message>
      <source>16:9 slide, half (6.7 × 7.5 in)</source>
      <translation>16:9 슬라이드 절반 (6.7 × 7.5 in)</translation>
    </message>
    <message>
      <source>4:3 slide (10 × 7.5 in)</source>
      <translation>4:3 슬라이드 (10 × 7.5 in)</translation>
    </message>
    <message>
      <source>16:9 slide under a title (13.3 × 5.8 in)</source>
      <translation>16:9 슬라이드 제목 아래 (13.3 × 5.8 in)</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>크기</translation>
    </message>
    <message>
      <source>{dpi} dpi</source>
      <translation>{dpi} dpi</translation>
    </message>
    <message>
      <source>PNG resolution</source>
      <translation>PNG 해상도</translation>
    </message>
    <message>
      <source>SVG: text as outlines (looks the same everywhere, not editable)</source>
      <translation>SVG: 글자를 윤곽선으로 (어디서나 똑같이 보이지만 편집은 안 됨)</translation>
    </message>
    <message>
      <source>Write the numbers beside the figure (CSV and NPZ)</source>
      <translation>그림 옆에 숫자 데이터도 저장 (CSV와 NPZ)</translation>
    </message>
    <message>
      <source>View</source>
      <translation>뷰</translation>
    </message>
    <message>
      <source>A range of steps</source>
      <translation>스텝 범위</translation>
    </message>
    <message>
      <source>The phases of one batch</source>
      <translation>한 배치의 단계들</translation>
    </message>
    <message>
      <source>step</source>
      <translation>스텝</translation>
    </message>
    <message>
      <source>frames/s</source>
      <translation>프레임/초</translation>
    </message>
    <message>
      <source>Frame rate</source>
      <translation>프레임 속도</translation>
    </message>
    <message>
      <source>One frame per phase of the batch, each labelled with its step and phase.</source>
      <translation>배치의 단계마다 한 프레임, 각 프레임에 스텝과 단계를 표시합니다.</translation>
    </message>
    <message>
      <source>{frames} frames, {seconds} s, each labelled with its step and phase.</source>
      <translation>프레임 {frames}개, {seconds}초, 각 프레임에 스텝과 단계를 표시합니다.</translation>
    </message>
    <message>
      <source>Open data</source>
      <translation>데이터 열기</translation>
    </message>
    <message>
      <source>Loading {name}…</source>
      <translation>{name} 불러오는 중…</translation>
    </message>
    <message>
      <source>Open model</source>
      <translation>모델 열기</translation>
    </message>
    <message>
      <source>Keras models (*.keras *.h5 *.hdf5)</source>
      <translation>Keras 모델 (*.keras *.h5 *.hdf5)</translation>
    </message>
    <message>
      <source>Could not open the model</source>
      <translation>모델을 열 수 없습니다</translation>
    </message>
    <message>
      <source>Opened {source}</source>
      <translation>{source}을(를) 열었습니다</translation>
    </message>
    <message>
      <source>Opening {name}…</source>
      <translation>{name} 여는 중…</translation>
    </message>
    <message>
      <source>Save session</source>
      <translation>세션 저장</translation>
    </message>
    <message>
      <source>Propscope sessions (*.propscope)</source>
      <translation>Propscope 세션 (*.propscope)</translation>
    </message>
    <message>
      <source>the session</source>
      <translation>세션</translation>
    </message>
    <message>
      <source>Open session</source>
      <translation>세션 열기</translation>
    </message>
    <message>
      <source>{layer}, neuron j = {unit}, sample n = {sample}, step {step} ({phase})</source>
      <translation>{layer}, 뉴런 j = {unit}, 샘플 n = {sample}, 스텝 {step} ({phase})</translation>
    </message>
    <message>
      <source>sum over {n} inputs; b_j = {b}</source>
      <translation>입력 {n}개에 대한 합; b_j = {b}</translation>
    </message>
    <message>
      <source>k over the {n} neurons of {layer}: the error comes back through the weights</source>
      <translation>k는 {layer}의 뉴런 {n}개: 오차가 가중치를 거쳐 되돌아옵니다</translation>
    </message>
    <message>
      <source>from the loss {loss}</source>
      <translation>손실 {loss}에서</translation>
    </message>
    <message>
      <source>from {layer}</source>
      <translation>{layer}에서</translation>
    </message>
    <message>
      <source>softmax couples the outputs</source>
      <translation>소프트맥스는 출력들을 서로 묶습니다</translation>
    </message>
    <message>
      <source>softmax couples the outputs; with crossentropy this is (ŷ − y)/N</source>
      <translation>소프트맥스는 출력들을 서로 묶습니다; 크로스엔트로피와 함께면 (ŷ − y)/N입니다</translation>
    </message>
    <message>
      <source>i = {i}, the input with the largest |∂L/∂w|; over the {n} samples of the batch</source>
      <translation>i = {i}, |∂L/∂w|가 가장 큰 입력; 배치의 샘플 {n}개에 대한 합</translation>
    </message>
    <message>
      <source>{optimizer}, learning rate {lr}</source>
      <translation>{optimizer}, 학습률 {lr}</translation>
    </message>
    <message>
      <source>{optimizer}, learning rate {lr}; state: {state}</source>
      <translation>{optimizer}, 학습률 {lr}; 상태: {state}</translation>
    </message>
    <message>
      <source>Figure {n}.</source>
      <translation>그림 {n}.</translation>
    </message>
    <message>
      <source>Each circle is a neuron: its colour is its activation a = f(z) for the selected sample of the batch (its δ = ∂L/∂z during the backward phases); red &gt; 0, blue &lt; 0, each column's scale under it. Each line is a weight w: red w &gt; 0, blue w &lt; 0, thicker for larger |w|. The phase is written above; the highlighted column is its layer. In the loss phase: ŷ against y and the loss written out. Click a neuron to inspect it.</source>
      <translation>원 하나가 뉴런입니다. 색은 배치에서 고른 샘플에 대한 활성화 a = f(z)입니다 (역전파 단계에서는 δ = ∂L/∂z). 빨강 &gt; 0, 파랑 &lt; 0이며 각 열의 범위는 그 아래에 적혀 있습니다. 선 하나가 가중치 w 하나입니다: 빨강 w &gt; 0, 파랑 w &lt; 0, |w|가 클수록 굵습니다. 위에는 지금 단계가, 강조된 열은 그 단계의 층입니다. 손실 단계에서는 ŷ와 y, 그리고 숫자로 풀어 쓴 손실을 보여 줍니다. 뉴런을 클릭하면 자세히 볼 수 있습니다.</translation>
    </message>
    <message>
      <source>Per layer for this batch: output shape, mean and spread of a, ‖δ‖ with δ = ∂L/∂z, ‖∂L/∂W‖ with ∂L/∂W = a_prevᵀ·δ, and the relative update ‖ΔW‖/‖W‖.</source>
      <translation>이 배치에서 층마다: 출력 모양, a의 평균과 표준편차, ‖δ‖ (δ = ∂L/∂z), ‖∂L/∂W‖ (∂L/∂W = a_prevᵀ·δ), 상대 업데이트 크기 ‖ΔW‖/‖W‖.</translation>
    </message>
    <message>
      <source>The layer in process and the quantities of the phase: forward W (inputs × units), z and a (samples × units); backward δ and ∂L/∂W = a_prevᵀ·δ; update the applied change ΔW and the optimizer's state (momentum m, velocity v…). White is zero. Choose a layer or quantity to pin it.</source>
      <translation>지금 계산 중인 층과 그 단계의 값: 순전파는 W (입력 × 유닛), z와 a (샘플 × 유닛); 역전파는 δ와 ∂L/∂W = a_prevᵀ·δ; 업데이트는 적용된 변화 ΔW와 옵티마이저의 상태 (모멘텀 m, 속도 v…). 흰색이 0입니다. 층이나 값을 고르면 거기에 고정됩니다.</translation>
    </message>
    <message>
      <source>Histograms of z = a_prev·W + b, a = f(z), W and ∂L/∂W in one layer, and their percentiles over time. Saturated sigmoid/tanh outputs have f′(z) ≈ 0 and pass almost no gradient.</source>
      <translation>한 층의 z = a_prev·W + b, a = f(z), W, ∂L/∂W 히스토그램과 시간에 따른 백분위수. 포화된 sigmoid/tanh 출력은 f′(z) ≈ 0이라 기울기를 거의 전달하지 못합니다.</translation>
    </message>
    <message>
      <source>‖∂L/∂W‖ per layer over the steps, log scale. Backpropagation multiplies by f′(z) at every layer; with sigmoid (f′ ≤ 0.25) the first layers' gradients vanish.</source>
      <translation>스텝에 따른 층별 ‖∂L/∂W‖(로그 눈금). 역전파는 층마다 f′(z)를 곱합니다. sigmoid(f′ ≤ 0.25)에서는 앞쪽 층의 기울기가 사라집니다(기울기 소실).</translation>
    </message>
    <message>
      <source>The model's output over the input plane (for 2 input features), with training points (circles) and validation points (squares); below, what each first-layer neuron computes.</source>
      <translation>입력 평면 위의 모델 출력(입력 특성이 2개일 때)과 학습 데이터(원), 검증 데이터(사각형). 아래는 첫 층 뉴런 하나하나가 계산하는 값입니다.</translation>
    </message>
    <message>
      <source>Every sample of the batch, page by page, with the predicted probabilities (softmax outputs) per class, the true class in green; click one to follow it. The confusion matrix counts validation samples by true and predicted class.</source>
      <translation>배치의 모든 샘플을 쪽별로, 클래스별 예측 확률 (소프트맥스 출력)과 함께 보여 줍니다. 정답 클래스는 초록색이며, 샘플을 클릭하면 그 샘플을 따라갑니다. 혼동 행렬은 검증 샘플을 정답 클래스와 예측 클래스별로 셉니다.</translation>
    </message>
    <message>
      <source>Loss L = 1/N Σ loss(y, ŷ) of each batch (thin) and of each epoch (thick), training against validation, and the accuracy.</source>
      <translation>배치마다(가는 선), 에포크마다(굵은 선)의 손실 L = 1/N Σ loss(y, ŷ)과 정확도. 학습 데이터와 검증 데이터를 비교합니다.</translation>
    </message>
    <message>
      <source>One neuron: z = Σ a_prev·w + b, a = f(z), ∂L/∂a = Σ_k w_k·δ_k of the next layer, δ = ∂L/∂a · f′(z), ∂L/∂w = Σ_n a_prev·δ, and the optimizer's Δw, with the numbers.</source>
      <translation>뉴런 하나: z = Σ a_prev·w + b, a = f(z), 다음 층에서 온 ∂L/∂a = Σ_k w_k·δ_k, δ = ∂L/∂a · f′(z), ∂L/∂w = Σ_n a_prev·δ, 그리고 옵티마이저의 Δw를 숫자와 함께 보여 줍니다.</translation>
    </message>
    <message>
      <source>The model and its settings as Keras code and as PyTorch code.</source>
      <translation>모델과 설정을 Keras 코드와 PyTorch 코드로 보여 줍니다.</translation>
    </message>
    <message>
      <source>Compares backprop's ∂L/∂W with (L(w + h) − L(w − h)) / 2h for each parameter.</source>
      <translation>역전파로 구한 ∂L/∂W를 파라미터마다 (L(w + h) − L(w − h)) / 2h와 비교합니다.</translation>
    </message>
    <message>
      <source>Propscope lecture pack</source>
      <translation>Propscope 강의 자료</translation>
    </message>
    <message>
      <source>Model summary</source>
      <translation>모델 요약</translation>
    </message>
    <message>
      <source>The chain rule of {title}</source>
      <translation>연쇄 법칙: {title}</translation>
    </message>
    <message>
      <source>{steps} steps ({epochs} epochs) of batch {batch} with {optimizer} on {backend}</source>
      <translation>배치 {batch}로 {steps} 스텝 ({epochs} 에포크), {optimizer}, {backend}</translation>
    </message>
    <message>
      <source>Data: {data}</source>
      <translation>데이터: {data}</translation>
    </message>
    <message>
      <source>Last epoch: {values}</source>
      <translation>마지막 에포크: {values}</translation>
    </message>
    <message>
      <source>Lesson {code} · step {step}</source>
      <translation>실습 {code} · 스텝 {step}</translation>
    </message>
    <message>
      <source>Lesson {code} · step {step} · loss {loss}</source>
      <translation>실습 {code} · 스텝 {step} · 손실 {loss}</translation>
    </message>
    <message>
      <source>the same code on a student's machine means the same run (same data, model, settings, seed and initial weights)</source>
      <translation>학생의 컴퓨터에서 코드가 같으면 같은 실행입니다 (같은 데이터, 모델, 설정, 시드, 초기 가중치)</translation>
    </message>
    <message>
      <source>Ran out of memory while loading; use a smaller file.</source>
      <translation>불러오는 중 메모리가 부족합니다. 더 작은 파일을 사용하세요.</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>취소</translation>
    </message>
    <message>
      <source>&amp;Open data…</source>
      <translation>데이터 열기(&amp;O)…</translation>
    </message>
    <message>
      <source>Open a CSV, NPZ/NPY or IDX(.gz) file</source>
      <translation>CSV, NPZ/NPY, IDX(.gz) 파일을 엽니다</translation>
    </message>
    <message>
      <source>Open &amp;model…</source>
      <translation>모델 열기(&amp;M)…</translation>
    </message>
    <message>
      <source>Open a Keras model file (.keras, or .h5 from Keras 3 or tf.keras 2) to step it on the current data</source>
      <translation>Keras 모델 파일(.keras, 또는 Keras 3나 tf.keras 2의 .h5)을 열어 현재 데이터로 단계별로 실행합니다</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Save session…</source>
      <translation>세션 저장(&amp;S)…</translation>
    </message>
    <message>
      <source>Save model, weights, optimizer state, data and history</source>
      <translation>모델, 가중치, 옵티마이저 상태, 데이터, 기록을 저장합니다</translation>
    </message>
    <message>
      <source>Open sess&amp;ion…</source>
      <translation>세션 열기(&amp;I)…</translation>
    </message>
    <message>
      <source>Export &amp;weights…</source>
      <translation>가중치 내보내기(&amp;W)…</translation>
    </message>
    <message>
      <source>NPZ, CSV, JSON, PyTorch .pt and Keras .weights.h5</source>
      <translation>NPZ, CSV, JSON, PyTorch .pt, Keras .weights.h5</translation>
    </message>
    <message>
      <source>Export &amp;Keras model…</source>
      <translation>Keras 모델 내보내기(&amp;K)…</translation>
    </message>
    <message>
      <source>The model at this step as a .keras file that keras.models.load_model opens</source>
      <translation>이 단계의 모델을 keras.models.load_model로 열 수 있는 .keras 파일로 저장합니다</translation>
    </message>
    <message>
      <source>Export &amp;figure…</source>
      <translation>그림 내보내기(&amp;F)…</translation>
    </message>
    <message>
      <source>The current view as a clean figure: PNG, SVG or PDF, with its numbers</source>
      <translation>현재 뷰를 깔끔한 그림으로: PNG, SVG 또는 PDF와 그 숫자 데이터</translation>
    </message>
    <message>
      <source>Export &amp;lecture pack…</source>
      <translation>강의 자료 묶음 내보내기(&amp;L)…</translation>
    </message>
    <message>
      <source>Every figure, a PDF handout, the weights, summary, history and an index page</source>
      <translation>모든 그림, PDF 유인물, 가중치, 요약, 학습 기록과 목차 페이지</translation>
    </message>
    <message>
      <source>Record &amp;animation…</source>
      <translation>애니메이션 녹화(&amp;A)…</translation>
    </message>
    <message>
      <source>A view over a range of steps or one batch's phases, as GIF or MP4</source>
      <translation>스텝 범위나 한 배치의 단계들에 걸친 뷰를 GIF 또는 MP4로</translation>
    </message>
    <message>
      <source>Step &amp;phase</source>
      <translation>단계 실행(&amp;P)</translation>
    </message>
    <message>
      <source>Run the next phase: one layer's forward or backward pass, the loss, or the update</source>
      <translation>다음 단계 실행: 한 층의 순전파나 역전파, 손실 계산, 또는 업데이트</translation>
    </message>
    <message>
      <source>Step &amp;batch</source>
      <translation>배치 실행(&amp;B)</translation>
    </message>
    <message>
      <source>Finish the current batch</source>
      <translation>현재 배치를 끝까지 실행합니다</translation>
    </message>
    <message>
      <source>Step bac&amp;k</source>
      <translation>한 스텝 뒤로(&amp;K)</translation>
    </message>
    <message>
      <source>Go back one step (exact replay)</source>
      <translation>한 스텝 뒤로 갑니다(정확히 다시 계산)</translation>
    </message>
    <message>
      <source>Step &amp;epoch</source>
      <translation>에포크 실행(&amp;E)</translation>
    </message>
    <message>
      <source>Train to the end of this epoch</source>
      <translation>이번 에포크 끝까지 학습합니다</translation>
    </message>
    <message>
      <source>&amp;Run</source>
      <translation>실행(&amp;R)</translation>
    </message>
    <message>
      <source>Run or pause training</source>
      <translation>학습 실행 또는 일시 정지</translation>
    </message>
    <message>
      <source>Re&amp;set</source>
      <translation>초기화(&amp;S)</translation>
    </message>
    <message>
      <source>Back to step 0</source>
      <translation>스텝 0으로 돌아갑니다</translation>
    </message>
    <message>
      <source>Evaluate on &amp;test set</source>
      <translation>테스트 세트로 평가(&amp;T)</translation>
    </message>
    <message>
      <source>model.evaluate(x_test, y_test): the file's separate test set</source>
      <translation>model.evaluate(x_test, y_test): 파일의 별도 테스트 세트</translation>
    </message>
    <message>
      <source>&amp;Compare settings side by side…</source>
      <translation>설정 나란히 비교(&amp;C)…</translation>
    </message>
    <message>
      <source>Train two or four configurations side by side on the same batches and seed</source>
      <translation>두 개 또는 네 개의 설정을 같은 배치와 시드로 나란히 학습합니다</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>단축키(&amp;K)</translation>
    </message>
    <message>
      <source>Lesson &amp;fingerprint…</source>
      <translation>실습 지문(&amp;F)…</translation>
    </message>
    <message>
      <source>The code that tells whether two runs are the same run</source>
      <translation>두 실행이 같은 실행인지 알려 주는 코드</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Train</source>
      <translation>학습(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Lessons</source>
      <translation>실습(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>보기(&amp;V)</translation>
    </message>
    <message>
      <source>Setti&amp;ngs</source>
      <translation>설정(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>언어(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>도움말(&amp;H)</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>학습</translation>
    </message>
    <message>
      <source>P&amp;ause</source>
      <translation>일시 정지(&amp;A)</translation>
    </message>
    <message>
      <source>System default</source>
      <translation>시스템 기본값</translation>
    </message>
    <message>
      <source>Keras variable names</source>
      <translation>Keras 변수 이름</translation>
    </message>
    <message>
      <source>PyTorch state_dict</source>
      <translation>PyTorch state_dict</translation>
    </message>
    <message>
      <source>Keras model.load_weights</source>
      <translation>Keras model.load_weights</translation>
    </message>
    <message>
      <source>the same network in PyTorch</source>
      <translation>PyTorch로 만든 같은 신경망</translation>
    </message>
    <message>
      <source>every figure on its own page, the summary and the chain rule</source>
      <translation>그림마다 한 페이지, 모델 요약과 연쇄 법칙</translation>
    </message>
    <message>
      <source>loss and metrics per step</source>
      <translation>스텝별 손실과 지표</translation>
    </message>
    <message>
      <source>per epoch</source>
      <translation>에포크별</translation>
    </message>
    <message>
      <source>per layer statistics over the steps</source>
      <translation>스텝에 따른 층별 통계</translation>
    </message>
    <message>
      <source>the model</source>
      <translation>모델</translation>
    </message>
    <message>
      <source>the settings and the lesson fingerprint</source>
      <translation>설정과 실습 지문</translation>
    </message>
    <message>
      <source>Made with Propscope on {when}.</source>
      <translation>{when}에 Propscope로 만들었습니다.</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>모델</translation>
    </message>
    <message>
      <source>numbers</source>
      <translation>숫자 데이터</translation>
    </message>
    <message>
      <source>Files</source>
      <translation>파일</translation>
    </message>
    <message>
      <source>The handout (PDF)</source>
      <translation>유인물 (PDF)</translation>
    </message>
    <message>
      <source>&amp;Presentation mode</source>
      <translation>발표 모드(&amp;P)</translation>
    </message>
    <message>
      <source>Presentation &amp;size</source>
      <translation>발표 모드 크기(&amp;S)</translation>
    </message>
    <message>
      <source>Presentation mode &amp;hides</source>
      <translation>발표 모드에서 숨길 창(&amp;H)</translation>
    </message>
    <message>
      <source>Zoom &amp;in</source>
      <translation>확대(&amp;I)</translation>
    </message>
    <message>
      <source>Zoom &amp;out</source>
      <translation>축소(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Actual size</source>
      <translation>원래 크기(&amp;A)</translation>
    </message>
    <message>
      <source>Text size {pt} pt (zoom {zoom}%)</source>
      <translation>글자 크기 {pt}pt (배율 {zoom}%)</translation>
    </message>
    <message>
      <source>nothing to train (epochs = 0)</source>
      <translation>학습할 것 없음 (epochs = 0)</translation>
    </message>
    <message>
      <source>Replace the opened model?</source>
      <translation>연 모델을 바꿀까요?</translation>
    </message>
    <message>
      <source>The Model panel builds a new model, with new weights, in place of {source}. Continue?</source>
      <translation>모델 패널이 {source} 대신 새 가중치로 새 모델을 만듭니다. 계속할까요?</translation>
    </message>
    <message>
      <source>Invalid training setting</source>
      <translation>잘못된 학습 설정</translation>
    </message>
    <message>
      <source>classification</source>
      <translation>다중 분류</translation>
    </message>
    <message>
      <source>binary</source>
      <translation>이진 분류</translation>
    </message>
    <message>
      <source>regression</source>
      <translation>회귀</translation>
    </message>
    <message>
      <source>Data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>Metrics</source>
      <translation>지표</translation>
    </message>
    <message>
      <source>Inspector</source>
      <translation>뉴런 살펴보기</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>코드</translation>
    </message>
    <message>
      <source>Gradient check</source>
      <translation>기울기 검사</translation>
    </message>
    <message>
      <source>Steps</source>
      <translation>스텝</translation>
    </message>
    <message>
      <source>%v / %m steps</source>
      <translation>%v / %m 스텝</translation>
    </message>
    <message>
      <source>loss {value}</source>
      <translation>손실 {value}</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs} · batch {batch}/{batches} · {phase}</source>
      <translation>에포크 {epoch}/{epochs} · 배치 {batch}/{batches} · {phase}</translation>
    </message>
    <message>
      <source>Model from {source}; input {shape}</source>
      <translation>{source}의 모델, 입력 {shape}</translation>
    </message>
    <message>
      <source>Input: {shape} from {name}</source>
      <translation>입력: {name}의 {shape}</translation>
    </message>
    <message>
      <source>(flattened)</source>
      <translation>(평탄화)</translation>
    </message>
    <message>
      <source>output layer sized for {task}</source>
      <translation>출력층은 {task}에 맞춤</translation>
    </message>
    <message>
      <source>Computing with {device}</source>
      <translation>계산: {device}</translation>
    </message>
    <message>
      <source>Step at least one phase of a batch first (and pause a run).</source>
      <translation>먼저 배치의 단계를 하나 이상 실행하세요(실행 중이면 일시 정지).</translation>
    </message>
    <message>
      <source>Gradient check failed</source>
      <translation>기울기 검사 실패</translation>
    </message>
    <message>
      <source>Lesson fingerprint</source>
      <translation>실습 지문</translation>
    </message>
    <message>
      <source>No training session yet.</source>
      <translation>아직 학습 세션이 없습니다.</translation>
    </message>
    <message>
      <source>The code comes from the data, the model, the training settings, the seed and the initial weights. A student whose window shows the same code has built the same run; the same loss at the same step says it trained the same way. The code is in every export and session file (copied to the clipboard).</source>
      <translation>이 코드는 데이터, 모델, 학습 설정, 시드와 초기 가중치로 만들어집니다. 학생의 창에 같은 코드가 보이면 같은 실행을 만든 것이고, 같은 스텝에서 손실이 같으면 같은 방식으로 학습한 것입니다. 코드는 모든 내보내기와 세션 파일에 들어 있습니다 (클립보드에 복사됨).</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>단축키</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>복사</translation>
    </message>
    <message>
      <source>Copy the code shown to the clipboard</source>
      <translation>보이는 코드를 클립보드로 복사합니다</translation>
    </message>
    <message>
      <source>moving mean</source>
      <translation>이동 평균</translation>
    </message>
    <message>
      <source>moving variance</source>
      <translation>이동 분산</translation>
    </message>
    <message>
      <source>Hidden activation</source>
      <translation>은닉층 활성화 함수</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>옵티마이저</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>학습률</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>배치 크기</translation>
    </message>
    <message>
      <source>none</source>
      <translation>없음</translation>
    </message>
    <message>
      <source>Dropout(rate) after every hidden Dense layer</source>
      <translation>모든 은닉 Dense 층 뒤에 Dropout(rate)</translation>
    </message>
    <message>
      <source>Dropout</source>
      <translation>드롭아웃</translation>
    </message>
    <message>
      <source>after every hidden layer</source>
      <translation>모든 은닉층 뒤에</translation>
    </message>
    <message>
      <source>BatchNormalization</source>
      <translation>배치 정규화</translation>
    </message>
    <message>
      <source>kernel_regularizer=l2(factor) on every hidden Dense layer</source>
      <translation>모든 은닉 Dense 층에 kernel_regularizer=l2(factor)</translation>
    </message>
    <message>
      <source>L2 penalty</source>
      <translation>L2 규제</translation>
    </message>
    <message>
      <source>Side {name}</source>
      <translation>{name} 쪽</translation>
    </message>
    <message>
      <source>Loss (faint: each batch · solid: running mean, ● each epoch · dashed: validation)</source>
      <translation>손실 (흐린 선: 배치 · 실선: 이동 평균, ●: 에포크 · 점선: 검증)</translation>
    </message>
    <message>
      <source>Accuracy (faint: each batch · solid: running mean · dashed: validation)</source>
      <translation>정확도 (흐린 선: 배치 · 실선: 이동 평균 · 점선: 검증)</translation>
    </message>
    <message>
      <source>‖∂L/∂W‖, running mean, log scale (solid: first layer · dashed: last)</source>
      <translation>‖∂L/∂W‖ 이동 평균, 로그 눈금 (실선: 첫 층 · 점선: 마지막 층)</translation>
    </message>
    <message>
      <source>Activations on the same 512 inputs (share per bin)</source>
      <translation>같은 입력 512개에 대한 활성화 값 (구간별 비율)</translation>
    </message>
    <message>
      <source>epoch</source>
      <translation>에포크</translation>
    </message>
    <message>
      <source>activation a</source>
      <translation>활성화 a</translation>
    </message>
    <message>
      <source>Histogram of layer</source>
      <translation>히스토그램 층</translation>
    </message>
    <message>
      <source>layer {k} ({name})</source>
      <translation>{k}번째 층 ({name})</translation>
    </message>
    <message>
      <source>epoch {done} of {total}</source>
      <translation>에포크 {done} / {total}</translation>
    </message>
    <message>
      <source>val loss {value} (gap {gap})</source>
      <translation>검증 손실 {value} (차이 {gap})</translation>
    </message>
    <message>
      <source>val accuracy {value}</source>
      <translation>검증 정확도 {value}</translation>
    </message>
    <message>
      <source>diverged</source>
      <translation>발산</translation>
    </message>
    <message>
      <source>Built-in 2-D set</source>
      <translation>내장 2차원 데이터</translation>
    </message>
    <message>
      <source>Logic gate</source>
      <translation>논리 게이트</translation>
    </message>
    <message>
      <source>File…</source>
      <translation>파일…</translation>
    </message>
    <message>
      <source>automatic (÷255 for 8-bit images)</source>
      <translation>자동 (8비트 이미지는 ÷255)</translation>
    </message>
    <message>
      <source>standardize</source>
      <translation>표준화</translation>
    </message>
    <message>
      <source>min–max to [0, 1]</source>
      <translation>최소–최대 [0, 1]</translation>
    </message>
    <message>
      <source>held-out share of the training data</source>
      <translation>훈련 데이터에서 떼어 둔 비율</translation>
    </message>
    <message>
      <source>the file's test set</source>
      <translation>파일의 테스트 세트</translation>
    </message>
    <message>
      <source>training {n}</source>
      <translation>훈련 {n}</translation>
    </message>
    <message>
      <source>validation {n} ({share}% held out, random_state {seed})</source>
      <translation>검증 {n} ({share}% 떼어 둠, random_state {seed})</translation>
    </message>
    <message>
      <source>validation {n} (the test set)</source>
      <translation>검증 {n} (테스트 세트)</translation>
    </message>
    <message>
      <source>validation {n} (given with the arrays from Python)</source>
      <translation>검증 {n} (Python 배열과 함께 전달됨)</translation>
    </message>
    <message>
      <source>no validation</source>
      <translation>검증 없음</translation>
    </message>
    <message>
      <source>test set {n} (kept apart)</source>
      <translation>테스트 세트 {n} (따로 보관)</translation>
    </message>
    <message>
      <source>{name}: {n} samples of shape {shape}</source>
      <translation>{name}: 모양 {shape}의 샘플 {n}개</translation>
    </message>
    <message>
      <source>, {k} classes</source>
      <translation>, 클래스 {k}개</translation>
    </message>
    <message>
      <source>, regression</source>
      <translation>, 회귀</translation>
    </message>
    <message>
      <source>; validation data of {n}</source>
      <translation>; 검증 데이터 {n}개</translation>
    </message>
    <message>
      <source>; test set of {n}</source>
      <translation>; 테스트 세트 {n}개</translation>
    </message>
    <message>
      <source>train {n} · val {m}</source>
      <translation>훈련 {n} · 검증 {m}</translation>
    </message>
    <message>
      <source>test {n}</source>
      <translation>테스트 {n}</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>출처</translation>
    </message>
    <message>
      <source>Set</source>
      <translation>데이터셋</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>점 개수</translation>
    </message>
    <message>
      <source>Noise</source>
      <translation>노이즈</translation>
    </message>
    <message>
      <source>Gate</source>
      <translation>게이트</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>시드</translation>
    </message>
    <message>
      <source>Open…</source>
      <translation>열기…</translation>
    </message>
    <message>
      <source>File</source>
      <translation>파일</translation>
    </message>
    <message>
      <source>Validate on</source>
      <translation>검증 데이터</translation>
    </message>
    <message>
      <source>Validation share</source>
      <translation>검증 비율</translation>
    </message>
    <message>
      <source>Normalization</source>
      <translation>정규화</translation>
    </message>
    <message>
      <source>Evaluate on test set</source>
      <translation>테스트 세트로 평가</translation>
    </message>
    <message>
      <source>model.evaluate(x_test, y_test) with the current weights: the separate test set, never used for training</source>
      <translation>현재 가중치로 model.evaluate(x_test, y_test): 학습에 한 번도 쓰지 않은 별도의 테스트 세트</translation>
    </message>
    <message>
      <source>no file</source>
      <translation>파일 없음</translation>
    </message>
    <message>
      <source>not evaluated yet</source>
      <translation>아직 평가하지 않음</translation>
    </message>
    <message>
      <source>this data has no test set</source>
      <translation>이 데이터에는 테스트 세트가 없음</translation>
    </message>
    <message>
      <source>test set ({n} samples) at step {step}: {values}</source>
      <translation>테스트 세트({n}개 샘플), 스텝 {step}: {values}</translation>
    </message>
    <message>
      <source>samples</source>
      <translation>샘플 수</translation>
    </message>
    <message>
      <source>Class balance</source>
      <translation>클래스 분포</translation>
    </message>
    <message>
      <source>{name}: {n} points</source>
      <translation>{name}: 점 {n}개</translation>
    </message>
    <message>
      <source>({k} shown)</source>
      <translation>({k}개 표시)</translation>
    </message>
    <message>
      <source>first {k} of {n} images</source>
      <translation>이미지 {n}개 중 처음 {k}개</translation>
    </message>
    <message>
      <source>feature 1</source>
      <translation>특성 1</translation>
    </message>
    <message>
      <source>feature 2</source>
      <translation>특성 2</translation>
    </message>
    <message>
      <source>{name}: {a} vs {b}</source>
      <translation>{name}: {a} 대 {b}</translation>
    </message>
    <message>
      <source>The decision boundary needs data with 2 input features (the built-in 2-D sets).</source>
      <translation>결정 경계는 입력 특성이 2개인 데이터(내장 2차원 데이터)에서만 그릴 수 있습니다.</translation>
    </message>
    <message>
      <source>Model output over the input plane · circles: training points · squares: validation</source>
      <translation>입력 평면 위의 모델 출력 · 원: 학습 데이터 · 사각형: 검증 데이터</translation>
    </message>
    <message>
      <source>pre-activation z</source>
      <translation>활성화 전 z</translation>
    </message>
    <message>
      <source>weights W</source>
      <translation>가중치 W</translation>
    </message>
    <message>
      <source>gradient ∂L/∂W</source>
      <translation>기울기 ∂L/∂W</translation>
    </message>
    <message>
      <source>normalized x̂</source>
      <translation>정규화된 x̂</translation>
    </message>
    <message>
      <source>output γ·x̂ + β</source>
      <translation>출력 γ·x̂ + β</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>층</translation>
    </message>
    <message>
      <source>Over time</source>
      <translation>시간 축</translation>
    </message>
    <message>
      <source>Follow the phase</source>
      <translation>단계 따라가기</translation>
    </message>
    <message>
      <source>Show the layer in process; choosing a layer pins the view</source>
      <translation>지금 계산 중인 층을 보여 줍니다. 층을 직접 고르면 그 층에 고정됩니다</translation>
    </message>
    <message>
      <source>Percentiles over time</source>
      <translation>시간에 따른 백분위수</translation>
    </message>
    <message>
      <source>{quantity}: not yet</source>
      <translation>{quantity}: 아직 없음</translation>
    </message>
    <message>
      <source>saturated {activation} outputs: {share} (f′ ≈ 0 there: little gradient flows)</source>
      <translation>포화된 {activation} 출력: {share} (그곳은 f′ ≈ 0: 기울기가 거의 흐르지 않음)</translation>
    </message>
    <message>
      <source>dead ReLU units (0 for the whole batch): {share}</source>
      <translation>죽은 ReLU 유닛(배치 전체에서 0): {share}</translation>
    </message>
    <message>
      <source>no saturation measure for {what}</source>
      <translation>{what}에는 포화 지표가 없습니다</translation>
    </message>
    <message>
      <source>this layer</source>
      <translation>이 층</translation>
    </message>
    <message>
      <source>{key}: percentiles 0, 7, 16, 31, 50 (black), 69, 84, 93, 100 over time</source>
      <translation>{key}: 시간에 따른 백분위수 0, 7, 16, 31, 50(검정), 69, 84, 93, 100</translation>
    </message>
    <message>
      <source>Training has stopped learning: over the last {steps} steps the loss stayed at {loss} (guessing gives {chance}) and the accuracy at {accuracy}, about 1/{classes}.</source>
      <translation>학습이 멈췄습니다: 최근 {steps} 스텝 동안 손실은 {loss}에 머물렀고(찍기 수준은 {chance}) 정확도는 {accuracy}로 약 1/{classes}입니다.</translation>
    </message>
    <message>
      <source>Layer {layer}: {dead} of its {units} ReLU units ({share}) output 0 for every sample. Dead units pass no gradient back and stop learning.</source>
      <translation>층 {layer}: ReLU 유닛 {units}개 중 {dead}개({share})가 모든 샘플에서 0을 출력합니다. 죽은 유닛은 기울기를 전달하지 못해 학습을 멈춥니다.</translation>
    </message>
    <message>
      <source>Layer {layer}: {share} of its {activation} outputs sit in the flat ends of the curve, where the derivative is almost 0: the layer barely learns.</source>
      <translation>층 {layer}: {activation} 출력의 {share}가 도함수가 거의 0인 곡선의 평평한 양 끝에 있습니다(포화): 이 층은 거의 학습하지 못합니다.</translation>
    </message>
    <message>
      <source>Vanishing gradient: ‖∂L/∂W‖ of {layer} is {first}, {ratio} of {last_layer}'s ({last}): the first layers hardly change.</source>
      <translation>기울기 소실: {layer}의 ‖∂L/∂W‖는 {first}로, {last_layer}({last})의 {ratio}배입니다: 앞쪽 층이 거의 바뀌지 않습니다.</translation>
    </message>
    <message>
      <source>The gradients have vanished: the largest ‖∂L/∂W‖ of any layer is {largest}, so no weight changes any more.</source>
      <translation>기울기가 사라졌습니다: 모든 층에서 가장 큰 ‖∂L/∂W‖가 {largest}이므로 가중치가 더 이상 바뀌지 않습니다.</translation>
    </message>
    <message>
      <source>Exploding gradient: ‖∂L/∂W‖ of {layer} grew from {start} to {now} ({growth} times).</source>
      <translation>기울기 폭주: {layer}의 ‖∂L/∂W‖가 {start}에서 {now}로 커졌습니다({growth}배).</translation>
    </message>
    <message>
      <source>a lower learning rate (now {lr})</source>
      <translation>더 낮은 학습률(지금 {lr})</translation>
    </message>
    <message>
      <source>ReLU in the hidden layers</source>
      <translation>은닉층에 ReLU</translation>
    </message>
    <message>
      <source>He initialization (kernel_initializer="he_normal")</source>
      <translation>He 초기화(kernel_initializer="he_normal")</translation>
    </message>
    <message>
      <source>another optimizer (Adam adapts the step of every weight)</source>
      <translation>다른 옵티마이저(Adam은 가중치마다 보폭을 조절합니다)</translation>
    </message>
    <message>
      <source>Try: {remedies}.</source>
      <translation>해 볼 것: {remedies}.</translation>
    </message>
    <message>
      <source>Dismiss</source>
      <translation>닫기</translation>
    </message>
    <message>
      <source>…and {n} more.</source>
      <translation>…외 {n}개.</translation>
    </message>
    <message>
      <source>step {step} (epoch {epoch}, batch {batch}/{batches})</source>
      <translation>스텝 {step} (에포크 {epoch}, 배치 {batch}/{batches})</translation>
    </message>
    <message>
      <source>before the first batch</source>
      <translation>첫 배치 전</translation>
    </message>
    <message>
      <source>model {model}</source>
      <translation>모델 {model}</translation>
    </message>
    <message>
      <source>layer {layer}</source>
      <translation>층 {layer}</translation>
    </message>
    <message>
      <source>lesson {code}</source>
      <translation>실습 {code}</translation>
    </message>
    <message>
      <source>value</source>
      <translation>값</translation>
    </message>
    <message>
      <source>count</source>
      <translation>개수</translation>
    </message>
    <message>
      <source>Distributions in {layer}: now, and percentiles over the steps</source>
      <translation>{layer}의 분포: 현재, 그리고 스텝에 따른 백분위수</translation>
    </message>
    <message>
      <source>over time: {kind}</source>
      <translation>시간에 따라: {kind}</translation>
    </message>
    <message>
      <source>‖∂L/∂W‖ (log scale)</source>
      <translation>‖∂L/∂W‖ (로그 스케일)</translation>
    </message>
    <message>
      <source>Gradient flow: ‖∂L/∂W‖ per layer over the steps</source>
      <translation>기울기 흐름: 스텝에 따른 층별 ‖∂L/∂W‖</translation>
    </message>
    <message>
      <source>loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <source>accuracy</source>
      <translation>정확도</translation>
    </message>
    <message>
      <source>Loss and accuracy: each batch, and each epoch on training and validation data</source>
      <translation>손실과 정확도: 배치마다, 그리고 에포크마다 학습·검증 데이터에서</translation>
    </message>
    <message>
      <source>model output</source>
      <translation>모델 출력</translation>
    </message>
    <message>
      <source>training points</source>
      <translation>학습 점</translation>
    </message>
    <message>
      <source>validation points</source>
      <translation>검증 점</translation>
    </message>
    <message>
      <source>Decision boundary: the model's output over the input plane</source>
      <translation>결정 경계: 입력 평면 위의 모델 출력</translation>
    </message>
    <message>
      <source>small maps: each neuron of {layer}</source>
      <translation>작은 지도: {layer}의 각 뉴런</translation>
    </message>
    <message>
      <source>A batch with its predictions, and the confusion matrix on validation data</source>
      <translation>한 배치와 그 예측, 그리고 검증 데이터의 혼동 행렬</translation>
    </message>
    <message>
      <source>predicted probability per class</source>
      <translation>클래스별 예측 확률</translation>
    </message>
    <message>
      <source>mean a</source>
      <translation>a 평균</translation>
    </message>
    <message>
      <source>std a</source>
      <translation>a 표준편차</translation>
    </message>
    <message>
      <source>not computed yet at this phase</source>
      <translation>이 단계에서는 아직 계산되지 않음</translation>
    </message>
    <message>
      <source>Output</source>
      <translation>출력</translation>
    </message>
    <message>
      <source>batch loss {value}</source>
      <translation>배치 손실 {value}</translation>
    </message>
    <message>
      <source>Where the batch is, and each layer's numbers</source>
      <translation>배치가 지나는 단계와 각 층의 숫자</translation>
    </message>
    <message>
      <source>Each neuron's incoming weights as a {side}×{side} image ({layer})</source>
      <translation>각 뉴런으로 들어오는 가중치를 {side}×{side} 이미지로 ({layer})</translation>
    </message>
    <message>
      <source>neuron colour: {what}, each layer scaled to its largest |value|</source>
      <translation>뉴런 색: {what}, 층마다 가장 큰 |값|에 맞춤</translation>
    </message>
    <message>
      <source>w &gt; 0</source>
      <translation>w &gt; 0</translation>
    </message>
    <message>
      <source>w &lt; 0</source>
      <translation>w &lt; 0</translation>
    </message>
    <message>
      <source>thinner: smaller |w|</source>
      <translation>가늘수록 |w|가 작음</translation>
    </message>
    <message>
      <source>δ = ∂L/∂z</source>
      <translation>δ = ∂L/∂z</translation>
    </message>
    <message>
      <source>The network: neurons coloured by {what}, edges by weight</source>
      <translation>신경망: 뉴런 색은 {what}, 연결선은 가중치</translation>
    </message>
    <message>
      <source>sample 0 of the batch</source>
      <translation>배치의 샘플 0</translation>
    </message>
    <message>
      <source>Lesson fingerprint: the same code on two machines means the same run (data, model, settings, seed, initial weights); compare the loss at the same step. Help → Lesson fingerprint explains it.</source>
      <translation>실습 지문: 두 컴퓨터에서 코드가 같으면 같은 실행입니다 (데이터, 모델, 설정, 시드, 초기 가중치). 같은 스텝의 손실을 비교하세요. 도움말 → 실습 지문에 설명이 있습니다.</translation>
    </message>
    <message>
      <source>Backpropagation computes ∂L/∂W exactly; a finite difference estimates it as (L(w + h) − L(w − h)) / 2h. The relative error ‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖) is below 1e-7 when backprop is right (computed in float64). Around 1e-4 or more points to a bug — or to a kink (ReLU at 0, |e| at 0) or a clipped probability that the finite difference straddles.</source>
      <translation>역전파는 ∂L/∂W를 정확히 계산하고, 유한 차분은 (L(w + h) − L(w − h)) / 2h로 어림합니다. 역전파가 맞으면 상대 오차 ‖g_num − g_bp‖ / (‖g_num‖ + ‖g_bp‖)는 1e-7보다 작습니다(float64로 계산). 1e-4 이상이면 버그이거나, 유한 차분이 꺾인 점(0에서의 ReLU, |e|)이나 잘린 확률을 걸쳤다는 뜻입니다.</translation>
    </message>
    <message>
      <source>correct</source>
      <translation>정확함</translation>
    </message>
    <message>
      <source>probably fine (kinks?)</source>
      <translation>아마 괜찮음 (꺾인 점?)</translation>
    </message>
    <message>
      <source>suspicious</source>
      <translation>의심스러움</translation>
    </message>
    <message>
      <source>Check gradients on the current batch</source>
      <translation>현재 배치로 기울기 검사</translation>
    </message>
    <message>
      <source>Parameter</source>
      <translation>파라미터</translation>
    </message>
    <message>
      <source>Relative error</source>
      <translation>상대 오차</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>검사 수</translation>
    </message>
    <message>
      <source>Verdict</source>
      <translation>판정</translation>
    </message>
    <message>
      <source>{k} of {n}</source>
      <translation>{n}개 중 {k}개</translation>
    </message>
    <message>
      <source>Gradient flow: ‖∂L/∂W‖ per layer (log scale)</source>
      <translation>기울기 흐름: 층별 ‖∂L/∂W‖ (로그 눈금)</translation>
    </message>
    <message>
      <source>start</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>forward</source>
      <translation>순전파</translation>
    </message>
    <message>
      <source>backward</source>
      <translation>역전파</translation>
    </message>
    <message>
      <source>update</source>
      <translation>업데이트</translation>
    </message>
    <message>
      <source>layer {name}</source>
      <translation>층 {name}</translation>
    </message>
    <message>
      <source>the loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <source>Training diverged at step {step} (epoch {epoch}, batch {batch}): {count} non-finite value(s) in {quantity} of {where} during the {phase} phase. Everything before this step is kept; lower the learning rate or reset.</source>
      <translation>스텝 {step}(에포크 {epoch}, 배치 {batch})에서 학습이 발산했습니다: {phase} 단계에서 {where}의 {quantity}에 유한하지 않은 값이 {count}개 생겼습니다. 이 스텝 이전 상태는 그대로 남아 있습니다. 학습률을 낮추거나 초기화하세요.</translation>
    </message>
    <message>
      <source>update rule: PyTorch's {name}</source>
      <translation>업데이트 규칙: PyTorch {name}</translation>
    </message>
    <message>
      <source>update rule: Keras's {name}</source>
      <translation>업데이트 규칙: Keras {name}</translation>
    </message>
    <message>
      <source>Forward: the weighted sum of its {count} inputs (the largest terms, then the total)</source>
      <translation>순전파: 입력 {count}개의 가중합 (큰 항 몇 개, 그리고 전체 합)</translation>
    </message>
    <message>
      <source>…through the activation {activation}</source>
      <translation>…활성화 함수 {activation}를 거쳐</translation>
    </message>
    <message>
      <source>Forward: the output of this {kind} layer</source>
      <translation>순전파: 이 {kind} 층의 출력</translation>
    </message>
    <message>
      <source>The loss of sample {n}</source>
      <translation>샘플 {n}의 손실</translation>
    </message>
    <message>
      <source>Backward starts here: ∂L/∂ŷ_j, the loss's gradient at this output</source>
      <translation>역전파는 여기서 시작: ∂L/∂ŷ_j, 이 출력에서의 손실 기울기</translation>
    </message>
    <message>
      <source>Backward: ∂L/∂a_j, the next layer's δ sent back through the weights out of this neuron ({count} units of {layer}: the largest terms, then the sum)</source>
      <translation>역전파: ∂L/∂a_j, 다음 층의 δ가 이 뉴런에서 나가는 가중치를 거쳐 되돌아온 값 ({layer}의 유닛 {count}개: 큰 항 몇 개, 그리고 합)</translation>
    </message>
    <message>
      <source>Backward: ∂L/∂a_j as {layer} ({kind}) passes it back</source>
      <translation>역전파: {layer} ({kind}) 층이 되돌려 보낸 ∂L/∂a_j</translation>
    </message>
    <message>
      <source>Backward through the activation layer {layer} ({activation})</source>
      <translation>활성화 층 {layer} ({activation})를 거친 역전파</translation>
    </message>
    <message>
      <source>δ_j = ∂L/∂z_j: ∂L/∂a_j times the slope of {activation} at z_j</source>
      <translation>δ_j = ∂L/∂z_j: ∂L/∂a_j 곱하기 z_j에서 {activation}의 기울기</translation>
    </message>
    <message>
      <source>δ_j of a softmax output (the outputs are coupled)</source>
      <translation>소프트맥스 출력의 δ_j (출력끼리 서로 얽혀 있음)</translation>
    </message>
    <message>
      <source>δ_j of this {kind} layer</source>
      <translation>이 {kind} 층의 δ_j</translation>
    </message>
    <message>
      <source>∂L/∂w_ij for input i = {i} (the largest |∂L/∂w| into this neuron): the batch mean of a_i·δ_j over {count} samples (each δ carries the 1/N of the mean)</source>
      <translation>입력 i = {i}의 ∂L/∂w_ij (이 뉴런으로 들어오는 |∂L/∂w| 중 가장 큼): 샘플 {count}개에 대한 a_i·δ_j의 배치 평균 (각 δ에 평균의 1/N이 들어 있음)</translation>
    </message>
    <message>
      <source>Update with {optimizer}: its formula, its state before the update, the numbers</source>
      <translation>{optimizer}로 업데이트: 공식, 업데이트 전의 상태, 그리고 숫자</translation>
    </message>
    <message>
      <source>{name} (Dropout, rate {rate}), unit {u}:</source>
      <translation>{name} (드롭아웃, 비율 {rate}), 유닛 {u}:</translation>
    </message>
    <message>
      <source>not applied in this pass (Dropout is active only while training)</source>
      <translation>이번 계산에는 적용되지 않음 (드롭아웃은 훈련 중에만 작동)</translation>
    </message>
    <message>
      <source>kept (mask 1): a = x · 1/(1 − rate) = {x} × {scale} = {a}</source>
      <translation>유지 (마스크 1): a = x · 1/(1 − rate) = {x} × {scale} = {a}</translation>
    </message>
    <message>
      <source>dropped (mask 0) in this batch: a = 0, whatever x ({x})</source>
      <translation>이번 배치에서 제외 (마스크 0): x ({x})와 상관없이 a = 0</translation>
    </message>
    <message>
      <source>∂L/∂x = 0: no gradient flows back through this unit for this sample</source>
      <translation>∂L/∂x = 0: 이 샘플에서는 이 유닛을 통해 기울기가 전달되지 않음</translation>
    </message>
    <message>
      <source>{name} (BatchNormalization), feature {u}:</source>
      <translation>{name} (배치 정규화), 특성 {u}:</translation>
    </message>
    <message>
      <source>the batch's</source>
      <translation>배치의</translation>
    </message>
    <message>
      <source>the moving</source>
      <translation>이동</translation>
    </message>
    <message>
      <source>x̂ = (x − μ)/√(σ² + ε) with {which} μ, σ²: ({x} − {mean})/√({var} + {eps}) = {x_hat}</source>
      <translation>{which} μ, σ²로 x̂ = (x − μ)/√(σ² + ε): ({x} − {mean})/√({var} + {eps}) = {x_hat}</translation>
    </message>
    <message>
      <source>(frozen: the moving statistics are constants)</source>
      <translation>(동결됨: 이동 통계는 상수)</translation>
    </message>
    <message>
      <source>update: {w} {before} → {after} with {optimizer}</source>
      <translation>업데이트: {optimizer}로 {w} {before} → {after}</translation>
    </message>
    <message>
      <source>Click a neuron in the Network view to inspect it.</source>
      <translation>신경망 화면에서 뉴런을 클릭하면 자세히 볼 수 있습니다.</translation>
    </message>
    <message>
      <source>Sample</source>
      <translation>샘플</translation>
    </message>
    <message>
      <source>Show the layer in process until you click a neuron</source>
      <translation>뉴런을 클릭하기 전까지 지금 계산 중인 층을 보여 줍니다</translation>
    </message>
    <message>
      <source>Click a neuron of a Dense layer in the Network view to inspect it.</source>
      <translation>신경망 화면에서 Dense 층의 뉴런을 클릭하세요.</translation>
    </message>
    <message>
      <source>{layer} · unit {u} ({activation}) · sample {sample}</source>
      <translation>{layer} · 유닛 {u} ({activation}) · 샘플 {sample}</translation>
    </message>
    <message>
      <source>no incoming weights</source>
      <translation>들어오는 가중치 없음</translation>
    </message>
    <message>
      <source>phase: {phase}    step {step}</source>
      <translation>단계: {phase}    스텝 {step}</translation>
    </message>
    <message>
      <source>incoming weights ({n})</source>
      <translation>들어오는 가중치 ({n}개)</translation>
    </message>
    <message>
      <source>dropped {share} · kept × {scale}</source>
      <translation>제외 {share} · 유지된 값 × {scale}</translation>
    </message>
    <message>
      <source>batch μ {mean}, σ² {var}</source>
      <translation>배치 μ {mean}, σ² {var}</translation>
    </message>
    <message>
      <source>γ {gamma}, β {beta} · moving μ {mean}, σ² {var}</source>
      <translation>γ {gamma}, β {beta} · 이동 μ {mean}, σ² {var}</translation>
    </message>
    <message>
      <source>rate {rate}: drops nothing at inference</source>
      <translation>비율 {rate}: 추론 때는 아무것도 제외하지 않음</translation>
    </message>
    <message>
      <source>penalty on {what}: {value}</source>
      <translation>{what}의 규제항: {value}</translation>
    </message>
    <message>
      <source>class</source>
      <translation>클래스</translation>
    </message>
    <message>
      <source>sample</source>
      <translation>샘플</translation>
    </message>
    <message>
      <source>ŷ of the batch · □ = y</source>
      <translation>배치의 ŷ · □ = 정답 y</translation>
    </message>
    <message>
      <source>target y</source>
      <translation>정답 y</translation>
    </message>
    <message>
      <source>prediction ŷ</source>
      <translation>예측 ŷ</translation>
    </message>
    <message>
      <source>ŷ against y for the batch (dashed: ŷ = y)</source>
      <translation>배치의 예측 ŷ와 정답 y (점선: ŷ = y)</translation>
    </message>
    <message>
      <source>Sample {n} of the batch</source>
      <translation>배치의 샘플 {n}</translation>
    </message>
    <message>
      <source>true class y = {c} ({name})</source>
      <translation>정답 클래스 y = {c} ({name})</translation>
    </message>
    <message>
      <source>Loss of the batch: the mean over its {count} samples</source>
      <translation>배치의 손실: 샘플 {count}개의 평균</translation>
    </message>
    <message>
      <source>With the regularization penalties, the loss training minimizes</source>
      <translation>규제 항을 더한, 학습이 최소화하는 손실</translation>
    </message>
    <message>
      <source>∂L/∂ŷ at the output layer: the first quantity of the backward pass</source>
      <translation>출력층의 ∂L/∂ŷ: 역전파의 첫 번째 값</translation>
    </message>
    <message>
      <source>the other {count}: {value} each</source>
      <translation>나머지 {count}개: 각각 {value}</translation>
    </message>
    <message>
      <source>neuron tiles (W)</source>
      <translation>뉴런 타일 (W)</translation>
    </message>
    <message>
      <source>ΔW (applied)</source>
      <translation>ΔW (적용된 변화)</translation>
    </message>
    <message>
      <source>Show the layer in process and the quantities of the phase; choosing a layer or a quantity pins the view</source>
      <translation>지금 계산 중인 층과 그 단계의 값을 보여 줍니다. 층이나 값을 직접 고르면 거기에 고정됩니다</translation>
    </message>
    <message>
      <source>fixed levels</source>
      <translation>색 범위 고정</translation>
    </message>
    <message>
      <source>Keep the colour scale while stepping, so changes are comparable</source>
      <translation>스텝을 진행해도 색 범위를 유지해 변화를 비교할 수 있게 합니다</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>보기</translation>
    </message>
    <message>
      <source>Hover over a cell to read its value</source>
      <translation>칸 위에 마우스를 올리면 값을 읽을 수 있습니다</translation>
    </message>
    <message>
      <source>optimizer: {slot}</source>
      <translation>옵티마이저: {slot}</translation>
    </message>
    <message>
      <source>Δ{name} (applied)</source>
      <translation>Δ{name} (적용됨)</translation>
    </message>
    <message>
      <source>{layer}: {quantity} is not computed yet at this phase</source>
      <translation>{layer}: 이 단계에서는 {quantity}을(를) 아직 계산하지 않았습니다</translation>
    </message>
    <message>
      <source>sample (0…{last})</source>
      <translation>샘플 (0…{last})</translation>
    </message>
    <message>
      <source>input (0…{last})</source>
      <translation>입력 (0…{last})</translation>
    </message>
    <message>
      <source>weight (0…{last})</source>
      <translation>가중치 (0…{last})</translation>
    </message>
    <message>
      <source>unit (0…{last})</source>
      <translation>유닛 (0…{last})</translation>
    </message>
    <message>
      <source>feature (0…{last})</source>
      <translation>특성 (0…{last})</translation>
    </message>
    <message>
      <source>each first-layer neuron's incoming weights as an image</source>
      <translation>첫 층 뉴런마다 들어오는 가중치를 이미지로</translation>
    </message>
    <message>
      <source>{quantity} (row {row}, col {col}) = {value}</source>
      <translation>{quantity} ({row}행, {col}열) = {value}</translation>
    </message>
    <message>
      <source>Loss</source>
      <translation>손실</translation>
    </message>
    <message>
      <source>Accuracy</source>
      <translation>정확도</translation>
    </message>
    <message>
      <source>batch</source>
      <translation>배치</translation>
    </message>
    <message>
      <source>train (epoch)</source>
      <translation>학습 (에포크)</translation>
    </message>
    <message>
      <source>validation (epoch)</source>
      <translation>검증 (에포크)</translation>
    </message>
    <message>
      <source>Hover over a curve to read its values</source>
      <translation>곡선 위에 마우스를 올리면 값을 읽을 수 있습니다</translation>
    </message>
    <message>
      <source>batch loss</source>
      <translation>배치 손실</translation>
    </message>
    <message>
      <source>batch accuracy</source>
      <translation>배치 정확도</translation>
    </message>
    <message>
      <source>step {n}</source>
      <translation>스텝 {n}</translation>
    </message>
    <message>
      <source>epoch loss</source>
      <translation>에포크 손실</translation>
    </message>
    <message>
      <source>val loss</source>
      <translation>검증 손실</translation>
    </message>
    <message>
      <source>epoch accuracy</source>
      <translation>에포크 정확도</translation>
    </message>
    <message>
      <source>val accuracy</source>
      <translation>검증 정확도</translation>
    </message>
    <message>
      <source>{label} (epoch {k}) {value}</source>
      <translation>{label} (에포크 {k}) {value}</translation>
    </message>
    <message>
      <source>no values yet</source>
      <translation>아직 값이 없습니다</translation>
    </message>
    <message>
      <source>Units/rate</source>
      <translation>유닛/비율</translation>
    </message>
    <message>
      <source>Activation</source>
      <translation>활성화 함수</translation>
    </message>
    <message>
      <source>Penalty</source>
      <translation>규제</translation>
    </message>
    <message>
      <source>Factor</source>
      <translation>계수</translation>
    </message>
    <message>
      <source>Dropout: the share of units dropped in each training batch</source>
      <translation>드롭아웃: 훈련 배치마다 제외되는 유닛의 비율</translation>
    </message>
    <message>
      <source>kernel_regularizer: l1 adds factor·Σ|W| to the loss, l2 factor·ΣW², l1_l2 both</source>
      <translation>kernel_regularizer: l1은 손실에 factor·Σ|W|를, l2는 factor·ΣW²를, l1_l2는 둘 다 더함</translation>
    </message>
    <message>
      <source>Course presets…</source>
      <translation>강의 예제 모델…</translation>
    </message>
    <message>
      <source>Input: from the data</source>
      <translation>입력: 데이터에서</translation>
    </message>
    <message>
      <source>Add layer</source>
      <translation>층 추가</translation>
    </message>
    <message>
      <source>Add Dropout</source>
      <translation>드롭아웃 추가</translation>
    </message>
    <message>
      <source>Add BatchNorm</source>
      <translation>배치 정규화 추가</translation>
    </message>
    <message>
      <source>Dropout(0.3) after the selected layer (else before the output)</source>
      <translation>선택한 층 뒤에 Dropout(0.3) (선택이 없으면 출력층 앞에)</translation>
    </message>
    <message>
      <source>BatchNormalization after the selected layer (else before the output)</source>
      <translation>선택한 층 뒤에 BatchNormalization (선택이 없으면 출력층 앞에)</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>삭제</translation>
    </message>
    <message>
      <source>Up</source>
      <translation>위로</translation>
    </message>
    <message>
      <source>Down</source>
      <translation>아래로</translation>
    </message>
    <message>
      <source>No batch yet: F6 sends the first batch forward, one layer per press</source>
      <translation>아직 배치가 없습니다: F6을 누를 때마다 첫 배치가 한 층씩 앞으로 나아갑니다</translation>
    </message>
    <message>
      <source>a = f(x·W + b) in {layer}</source>
      <translation>{layer}에서 a = f(x·W + b)</translation>
    </message>
    <message>
      <source>How far is ŷ from y? Each sample's loss, their mean, and ∂L/∂ŷ to start back</source>
      <translation>ŷ는 y와 얼마나 다른가? 샘플별 손실, 그 평균, 그리고 역전파를 시작하는 ∂L/∂ŷ</translation>
    </message>
    <message>
      <source>δ = ∂L/∂a · f′(z) and ∂L/∂W = aᵀ·δ in {layer}; δ·Wᵀ goes to the layer below</source>
      <translation>{layer}에서 δ = ∂L/∂a · f′(z), ∂L/∂W = aᵀ·δ; δ·Wᵀ는 아래 층으로 전달</translation>
    </message>
    <message>
      <source>W ← W + ΔW in every layer ({optimizer})</source>
      <translation>모든 층에서 W ← W + ΔW ({optimizer})</translation>
    </message>
    <message>
      <source>nodes: activation a</source>
      <translation>노드: 활성화 a</translation>
    </message>
    <message>
      <source>nodes: δ = ∂L/∂z</source>
      <translation>노드: δ = ∂L/∂z</translation>
    </message>
    <message>
      <source>nodes: a, at the output ∂L/∂ŷ</source>
      <translation>노드: a, 출력층은 ∂L/∂ŷ</translation>
    </message>
    <message>
      <source>Phase {k} of {n}</source>
      <translation>단계 {k}/{n}</translation>
    </message>
    <message>
      <source>sample {n} of {count}</source>
      <translation>샘플 {n}/{count}</translation>
    </message>
    <message>
      <source>thicker = larger |w|</source>
      <translation>굵을수록 |w|가 큼</translation>
    </message>
    <message>
      <source>(scale under each column)</source>
      <translation>(각 열 아래에 범위)</translation>
    </message>
    <message>
      <source>input</source>
      <translation>입력</translation>
    </message>
    <message>
      <source>{n} unit</source>
      <translation>유닛 {n}개</translation>
    </message>
    <message>
      <source>{n} units</source>
      <translation>유닛 {n}개</translation>
    </message>
    <message>
      <source>{n} values</source>
      <translation>값 {n}개</translation>
    </message>
    <message>
      <source>⋮ {n} more</source>
      <translation>⋮ {n}개 더</translation>
    </message>
    <message>
      <source>{layer} unit {u}</source>
      <translation>{layer} 유닛 {u}</translation>
    </message>
    <message>
      <source>dropped by Dropout in this batch (its output and δ are 0)</source>
      <translation>이번 배치에서 드롭아웃으로 제외됨 (출력과 δ가 0)</translation>
    </message>
    <message>
      <source>mean |w| into {u}</source>
      <translation>{u}로 들어오는 평균 |w|</translation>
    </message>
    <message>
      <source>Dropout · BatchNorm · penalty</source>
      <translation>드롭아웃 · 배치 정규화 · 규제</translation>
    </message>
    <message>
      <source>No training session yet</source>
      <translation>아직 학습 세션이 없습니다</translation>
    </message>
    <message>
      <source>start (no batch yet)</source>
      <translation>시작 (아직 배치 없음)</translation>
    </message>
    <message>
      <source>Epoch {epoch} · batch {batch}/{batches} · step {step} · {where}</source>
      <translation>에포크 {epoch} · 배치 {batch}/{batches} · 스텝 {step} · {where}</translation>
    </message>
    <message>
      <source>data loss {value}</source>
      <translation>데이터 손실 {value}</translation>
    </message>
    <message>
      <source>last epoch:</source>
      <translation>지난 에포크:</translation>
    </message>
    <message>
      <source>Previous samples of the batch</source>
      <translation>배치의 이전 샘플</translation>
    </message>
    <message>
      <source>Next samples of the batch</source>
      <translation>배치의 다음 샘플</translation>
    </message>
    <message>
      <source>Confusion matrix</source>
      <translation>혼동 행렬</translation>
    </message>
    <message>
      <source>Confusion matrix (validation)</source>
      <translation>혼동 행렬 (검증)</translation>
    </message>
    <message>
      <source>true class</source>
      <translation>정답 클래스</translation>
    </message>
    <message>
      <source>predicted class</source>
      <translation>예측 클래스</translation>
    </message>
    <message>
      <source>Samples and predictions appear once a batch has gone forward (classification data only).</source>
      <translation>배치가 순전파를 마치면 샘플과 예측이 나타납니다(분류 데이터만).</translation>
    </message>
    <message>
      <source>Batch {batch}: {right} of {count} right · green bar: the true class · click a sample to follow it</source>
      <translation>배치 {batch}: {count}개 중 {right}개 정답 · 초록 막대: 정답 클래스 · 샘플을 클릭하면 그 샘플을 따라갑니다</translation>
    </message>
    <message>
      <source>samples {first}–{last} of {count}</source>
      <translation>샘플 {first}–{last} / {count}</translation>
    </message>
    <message>
      <source>{n} samples · accuracy {acc}</source>
      <translation>샘플 {n}개 · 정확도 {acc}</translation>
    </message>
    <message>
      <source>Rewind:</source>
      <translation>되감기:</translation>
    </message>
    <message>
      <source>Drag to any earlier step: Propscope replays it exactly</source>
      <translation>이전 스텝 어디로든 끌어 보세요. Propscope가 정확히 다시 계산합니다</translation>
    </message>
    <message>
      <source>Run speed:</source>
      <translation>실행 속도:</translation>
    </message>
    <message>
      <source>» max</source>
      <translation>» 최대</translation>
    </message>
    <message>
      <source>Train as fast as possible (the run speed "max")</source>
      <translation>가능한 한 빠르게 학습합니다 (실행 속도 "최대")</translation>
    </message>
    <message>
      <source>step {n} / {total}</source>
      <translation>스텝 {n} / {total}</translation>
    </message>
    <message>
      <source>Keras default: {value}</source>
      <translation>Keras 기본값: {value}</translation>
    </message>
    <message>
      <source>Hyper-parameters (Keras defaults)</source>
      <translation>하이퍼파라미터 (Keras 기본값)</translation>
    </message>
    <message>
      <source>Backend</source>
      <translation>백엔드</translation>
    </message>
    <message>
      <source>Precision</source>
      <translation>정밀도</translation>
    </message>
    <message>
      <source>auto (fastest here)</source>
      <translation>자동 (이 컴퓨터에서 가장 빠른 것)</translation>
    </message>
    <message>
      <source>Network</source>
      <translation>신경망</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>층</translation>
    </message>
    <message>
      <source>Matrices</source>
      <translation>행렬</translation>
    </message>
    <message>
      <source>Distributions</source>
      <translation>분포</translation>
    </message>
    <message>
      <source>Gradient flow</source>
      <translation>기울기 흐름</translation>
    </message>
    <message>
      <source>Decision boundary</source>
      <translation>결정 경계</translation>
    </message>
    <message>
      <source>Samples</source>
      <translation>샘플</translation>
    </message>
    <message>
      <source>T-shirt/top</source>
      <translation>티셔츠/탑</translation>
    </message>
    <message>
      <source>Trouser</source>
      <translation>바지</translation>
    </message>
    <message>
      <source>Pullover</source>
      <translation>풀오버</translation>
    </message>
    <message>
      <source>Dress</source>
      <translation>드레스</translation>
    </message>
    <message>
      <source>Coat</source>
      <translation>코트</translation>
    </message>
    <message>
      <source>Sandal</source>
      <translation>샌들</translation>
    </message>
    <message>
      <source>Shirt</source>
      <translation>셔츠</translation>
    </message>
    <message>
      <source>Sneaker</source>
      <translation>스니커즈</translation>
    </message>
    <message>
      <source>Bag</source>
      <translation>가방</translation>
    </message>
    <message>
      <source>Ankle boot</source>
      <translation>앵클 부츠</translation>
    </message>
    <message>
      <source>sigmoid vs ReLU (hidden layers)</source>
      <translation>sigmoid 대 ReLU (은닉층)</translation>
    </message>
    <message>
      <source>SGD (lr 0.01) vs Adam (lr 0.001)</source>
      <translation>SGD (학습률 0.01) 대 Adam (학습률 0.001)</translation>
    </message>
    <message>
      <source>sgd, adagrad, rmsprop and adam (Keras default learning rates)</source>
      <translation>sgd, adagrad, rmsprop, adam (Keras 기본 학습률)</translation>
    </message>
    <message>
      <source>batch 32 vs full batch (48,000 on Fashion-MNIST)</source>
      <translation>배치 32 대 전체 배치 (Fashion-MNIST에서 48,000)</translation>
    </message>
    <message>
      <source>without vs with Dropout(0.3) after the hidden layers (overfitting)</source>
      <translation>은닉층 뒤 Dropout(0.3) 없음 vs 있음 (과대적합)</translation>
    </message>
    <message>
      <source>without vs with BatchNormalization after the hidden layers</source>
      <translation>은닉층 뒤 BatchNormalization 없음 vs 있음</translation>
    </message>
    <message>
      <source>plain, L2(0.001), Dropout(0.3) and BatchNormalization side by side</source>
      <translation>기본, L2(0.001), Dropout(0.3), BatchNormalization 나란히 비교</translation>
    </message>
    <message>
      <source>XOR with a single perceptron (it cannot)</source>
      <translation>퍼셉트론 하나로 XOR (풀 수 없음)</translation>
    </message>
    <message>
      <source>One neuron draws one straight line: XOR needs two. Run it and watch the accuracy stall at 50–75%.</source>
      <translation>뉴런 하나는 직선 하나만 긋습니다. XOR에는 두 개가 필요합니다. 실행해 보면 정확도가 50–75%에서 멈춥니다.</translation>
    </message>
    <message>
      <source>XOR with an MLP 2-2-1</source>
      <translation>MLP 2-2-1로 XOR</translation>
    </message>
    <message>
      <source>Two hidden neurons draw two lines; together they separate XOR.</source>
      <translation>은닉 뉴런 두 개가 직선 두 개를 긋고, 함께 XOR을 나눕니다.</translation>
    </message>
    <message>
      <source>784-50(sigmoid)-10 with Adam (MNIST-shaped, on Fashion-MNIST)</source>
      <translation>Adam으로 784-50(sigmoid)-10 (MNIST 모양, Fashion-MNIST 사용)</translation>
    </message>
    <message>
      <source>The course's MNIST network, on Fashion-MNIST images.</source>
      <translation>강의의 MNIST 신경망을 Fashion-MNIST 이미지로 학습합니다.</translation>
    </message>
    <message>
      <source>Fashion-MNIST 784-100(relu)-10</source>
      <translation>Fashion-MNIST 784-100(relu)-10</translation>
    </message>
    <message>
      <source>Try sgd, adagrad, rmsprop and adam in the Training panel and compare the curves.</source>
      <translation>학습 패널에서 sgd, adagrad, rmsprop, adam을 바꿔 가며 곡선을 비교해 보세요.</translation>
    </message>
    <message>
      <source>Fashion-MNIST: sgd, adagrad, rmsprop and adam side by side</source>
      <translation>Fashion-MNIST: sgd, adagrad, rmsprop, adam 나란히 비교</translation>
    </message>
    <message>
      <source>Four optimizers, each at its Keras default learning rate, on the same batches from the same initial weights: press Run in the compare window.</source>
      <translation>옵티마이저 네 개를 각자의 Keras 기본 학습률로, 같은 배치와 같은 초기 가중치에서 학습합니다. 비교 창에서 실행을 누르세요.</translation>
    </message>
    <message>
      <source>Overfitting on Fashion-MNIST: 784-100-10 without and with Dropout(0.3)</source>
      <translation>Fashion-MNIST 과대적합: Dropout(0.3) 없는 784-100-10과 있는 784-100-10</translation>
    </message>
    <message>
      <source>Without Dropout the training loss keeps falling while the validation loss (dashed) turns up after a few epochs: the network learns the training images by heart. With Dropout(0.3) the two stay together. Press Run in the compare window; step the main window to see which units each batch drops.</source>
      <translation>드롭아웃이 없으면 훈련 손실은 계속 줄지만 검증 손실(점선)은 몇 에포크 뒤 다시 올라갑니다: 신경망이 훈련 이미지를 외워 버립니다. Dropout(0.3)을 쓰면 두 곡선이 함께 움직입니다. 비교 창에서 실행을 누르고, 메인 창을 단계별로 진행하며 배치마다 어떤 유닛이 제외되는지 보세요.</translation>
    </message>
    <message>
      <source>Vanishing gradient: a deep sigmoid network</source>
      <translation>기울기 소실: 깊은 sigmoid 신경망</translation>
    </message>
    <message>
      <source>The first layers' ‖∂L/∂W‖ sit orders of magnitude below the last layer's.</source>
      <translation>앞쪽 층의 ‖∂L/∂W‖가 마지막 층보다 몇 자릿수나 작습니다.</translation>
    </message>
    <message>
      <source>…and the same sigmoid network with BatchNormalization</source>
      <translation>…그리고 같은 시그모이드 신경망에 배치 정규화 추가</translation>
    </message>
    <message>
      <source>BatchNormalization after each sigmoid layer rescales what reaches the next layer, and its backward pass rescales δ by γ/σ: every layer's ‖∂L/∂W‖ is now of the same size. Compare both networks side by side in the compare window.</source>
      <translation>각 시그모이드 층 뒤의 배치 정규화가 다음 층으로 가는 값의 크기를 다시 맞추고, 역전파에서는 δ를 γ/σ배로 조정합니다: 이제 모든 층의 ‖∂L/∂W‖가 비슷한 크기입니다. 비교 창에서 두 신경망을 나란히 비교해 보세요.</translation>
    </message>
    <message>
      <source>…and the same depth with ReLU</source>
      <translation>…같은 깊이의 ReLU 신경망</translation>
    </message>
    <message>
      <source>With ReLU the gradient reaches the first layers at a similar size.</source>
      <translation>ReLU에서는 기울기가 비슷한 크기로 앞쪽 층까지 전달됩니다.</translation>
    </message>
    <message>
      <source>slow (1 batch/s)</source>
      <translation>느리게 (초당 1배치)</translation>
    </message>
    <message>
      <source>lesson (2 batches/s)</source>
      <translation>수업 (초당 2배치)</translation>
    </message>
    <message>
      <source>medium (5 batches/s)</source>
      <translation>보통 (초당 5배치)</translation>
    </message>
    <message>
      <source>fast (25 batches/s)</source>
      <translation>빠르게 (초당 25배치)</translation>
    </message>
    <message>
      <source>max</source>
      <translation>최대</translation>
    </message>
  </context>
</TS>
